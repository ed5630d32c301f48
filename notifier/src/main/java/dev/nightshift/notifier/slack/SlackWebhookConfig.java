package dev.nightshift.notifier.slack;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where notifications go: {@code url} (SLACK_WEBHOOK_URL, no default), an incoming webhook of your Slack app.
 * Without it messages are written to the log. The URL is a secret: {@link #toString} only says whether it is set.
 */
@ConfigurationProperties("slack.webhook")
public class SlackWebhookConfig {
    private String url;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public boolean configured() {
        return url != null && !url.isBlank();
    }

    @Override
    public String toString() {
        return "SlackWebhookConfig[url=" + (configured() ? "set" : "unset") + "]";
    }
}
