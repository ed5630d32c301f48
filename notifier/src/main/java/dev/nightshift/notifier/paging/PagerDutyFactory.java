package dev.nightshift.notifier.paging;

import dev.nightshift.notifier.jira.WebAddress;
import dev.nightshift.notifier.secrets.Secrets;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The notifier's {@link Pager}: PagerDuty when {@code PAGERDUTY_ROUTING_KEYS} names a team, none otherwise (inject it
 * as {@code Optional<Pager>}). Built when the notifier starts, every team's key read then (from its secret store when
 * it is a reference), so that a malformed setting or an unreadable key stops the start with a message naming the
 * setting and the team.
 */
@Factory
public class PagerDutyFactory {
    @Context
    @Requires(property = "pagerduty.routing-keys", pattern = ".*\\S.*")
    Pager pager(PagerDutyConfig config, Secrets secrets) {
        Map<String, String> references;
        try {
            references = RoutingKeys.parse(config.getRoutingKeys());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
        String url = WebAddress.required("PAGERDUTY_URL", config.getUrl(), "https://events.pagerduty.com");
        Map<String, String> keys = new LinkedHashMap<>();
        references.forEach((team, reference) -> keys.put(team, secrets.resolve("PAGERDUTY_ROUTING_KEYS (team " + team + ")", reference)));
        return new PagerDutyPager(url, keys);
    }
}
