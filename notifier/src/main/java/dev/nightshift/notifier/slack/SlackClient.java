package dev.nightshift.notifier.slack;

/** Where notifications for people go. One adapter per way of reaching Slack. */
public interface SlackClient {
    /**
     * Posts one message. Throws {@link SlackException} when Slack did not take it; its
     * {@code retryable()} says whether trying again may help.
     */
    void post(Message message);

    /** A message for a channel (adapters without channel routing ignore it). */
    record Message(String channel, String text) {
    }
}
