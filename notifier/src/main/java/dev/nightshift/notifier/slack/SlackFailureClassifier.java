package dev.nightshift.notifier.slack;

import java.time.Duration;
import java.util.Optional;

/**
 * Sorts what became of a post to Slack for the notifier's retry policy: retryable when Slack answered 429 or
 * 5xx or could not be reached (as {@link WebhookSlackClient} reports it in a {@link SlackException}); permanent
 * otherwise (a removed webhook, a refused payload, anything that is not Slack's answer). A 429's
 * {@code Retry-After} is the wait Slack asked for.
 */
public final class SlackFailureClassifier {
    private SlackFailureClassifier() {
    }

    public static boolean retryable(Throwable error) {
        return slackAnswer(error).map(SlackException::retryable).orElse(false);
    }

    /** How long Slack asked us to wait before the next try, when it did. */
    public static Optional<Duration> requestedWait(Throwable error) {
        return slackAnswer(error).flatMap(SlackException::retryAfter);
    }

    private static Optional<SlackException> slackAnswer(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SlackException slack) {
                return Optional.of(slack);
            }
        }
        return Optional.empty();
    }
}
