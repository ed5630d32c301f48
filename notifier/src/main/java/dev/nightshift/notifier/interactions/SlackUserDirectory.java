package dev.nightshift.notifier.interactions;

import com.slack.api.Slack;
import dev.nightshift.notifier.slack.SlackAppConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.users.UsersInfoResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * Looks a Slack user's e-mail up with {@code users.info} (scopes {@code users:read} and {@code users:read.email}),
 * through Slack's Java client against the Web API at {@code SLACK_API_URL}. A look-up that fails or takes longer than
 * {@link #CALL_TIMEOUT} gives no e-mail (the press is recorded under the Slack user id alone), so that the endpoint
 * still answers within Slack's 3 s. The bot token is never logged nor put in an error.
 */
public final class SlackUserDirectory implements UserDirectory {
    /** The longest one look-up may take, connecting included. */
    public static final Duration CALL_TIMEOUT = Duration.ofMillis(800);
    private static final Logger LOG = LoggerFactory.getLogger(SlackUserDirectory.class);

    private final Slack slack;
    private final MethodsClient methods;

    /** A look-up through Slack's client as the notifier's Slack settings configure it. */
    public SlackUserDirectory(SlackAppConfig settings, String botToken) {
        this.slack = Slack.getInstance(settings.clientConfig(CALL_TIMEOUT));
        this.methods = slack.methods(botToken);
    }

    @Override
    public Optional<String> emailOf(String userId) {
        if (userId == null || userId.isBlank()) {
            return Optional.empty();
        }
        try {
            UsersInfoResponse response = methods.usersInfo(r -> r.user(userId));
            if (!response.isOk()) {
                LOG.warn("users.info for {} answered {}{}", userId, response.getError(),
                        response.getNeeded() == null ? "" : " (the app needs " + response.getNeeded() + ")");
                return Optional.empty();
            }
            return Optional.ofNullable(response.getUser()).map(u -> u.getProfile()).map(p -> p.getEmail()).filter(e -> !e.isBlank());
        } catch (Exception e) {
            LOG.warn("users.info for {} failed: {}", userId, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            slack.close();
        } catch (Exception e) {
            LOG.debug("closing Slack's client: {}", e.toString());
        }
    }
}
