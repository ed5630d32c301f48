package dev.nightshift.notifier.slack;

/** Slack did not take a message. The message never carries the webhook URL or a token. */
public class SlackException extends RuntimeException {
    private final boolean retryable;

    public SlackException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
