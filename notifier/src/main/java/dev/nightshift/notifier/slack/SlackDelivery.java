package dev.nightshift.notifier.slack;

import dev.nightshift.notifier.delivery.Target;

/**
 * How the notifier reaches Slack, one of three: the Slack app ({@link AppSlackDelivery}: threads, updates, buttons),
 * an incoming webhook ({@link WebhookSlackDelivery}: one line per message, no edits), or, with neither configured, the
 * log ({@link LoggingSlackDelivery}).
 */
public interface SlackDelivery extends Target, AutoCloseable {
    /** {@code app}, {@code webhook} or {@code log}, for the startup line. */
    String mode();

    /** Lets go of its HTTP client. */
    @Override
    default void close() throws Exception {
    }
}
