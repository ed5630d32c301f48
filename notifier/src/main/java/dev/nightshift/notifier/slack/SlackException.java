package dev.nightshift.notifier.slack;

import java.time.Duration;
import java.util.Optional;

/** Slack did not take a message. The message never carries the webhook URL or a token. */
public class SlackException extends RuntimeException {
    private final boolean retryable;
    private final Duration retryAfter;

    public SlackException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, null, cause);
    }

    /** @param retryAfter how long Slack asked us to wait before trying again (its {@code Retry-After}), or null */
    public SlackException(String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
