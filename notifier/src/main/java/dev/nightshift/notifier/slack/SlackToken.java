package dev.nightshift.notifier.slack;

/** The Slack app's bot token as resolved at start; empty when the notifier runs without the app. Never shown. */
public record SlackToken(String value) {
    public boolean present() {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        return "SlackToken[" + (present() ? "set" : "unset") + "]";
    }
}
