package dev.nightshift.notifier.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * A service people are reached through (Slack, Jira, PagerDuty, a secret store) did not take a delivery. The message
 * says what and why for a log line; it never carries a token, a key, a password or a URL that holds one.
 */
public class DeliveryException extends RuntimeException {
    private final boolean retryable;
    private final Duration retryAfter;

    /** @param retryable whether trying the same delivery again may help (429, 5xx, unreachable) */
    public DeliveryException(String message, boolean retryable, Throwable cause) {
        this(message, retryable, null, cause);
    }

    /** @param retryAfter how long the service asked us to wait (its {@code Retry-After}), or null */
    public DeliveryException(String message, boolean retryable, Duration retryAfter, Throwable cause) {
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
