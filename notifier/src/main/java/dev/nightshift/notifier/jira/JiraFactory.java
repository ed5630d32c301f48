package dev.nightshift.notifier.jira;

import dev.nightshift.notifier.secrets.Secrets;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;


/**
 * The notifier's {@link TicketSystem}: Jira when {@code JIRA_URL} is set, none otherwise (inject it as
 * {@code Optional<TicketSystem>}). Built when the notifier starts, so that a site without its user or token, or a token
 * whose secret cannot be read, stops the start with a message that names the setting.
 */
@Factory
public class JiraFactory {
    @Context
    @Requires(property = "jira.url", pattern = ".*\\S.*")
    TicketSystem ticketSystem(JiraConfig config, Secrets secrets) {
        WebAddress.required("JIRA_URL", config.getUrl(), "https://example.atlassian.net");
        if (config.getUser().isBlank()) {
            throw new IllegalStateException("JIRA_URL is set but JIRA_USER (the account's e-mail) is empty");
        }
        return new JiraTicketSystem(config, secrets.resolve("JIRA_API_TOKEN", config.getApiToken()));
    }
}
