package dev.nightshift.notifier.slack;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How the notifier reaches Slack, each setting from its environment variable ({@code SLACK_BOT_TOKEN} is
 * {@code slack.bot-token}); the defaults below are the only ones (the module's README lists them, and a test holds the
 * two together).
 * {@code bot-token} (SLACK_BOT_TOKEN, no default): the Slack app's bot token; with it, threads and buttons.
 * {@code api-url} (SLACK_API_URL, default https://slack.com/api/): Slack's Web API.
 * {@code webhook-url} (SLACK_WEBHOOK_URL, no default): an incoming webhook, for teams without the app: one line per message.
 * {@code channel-rate} (SLACK_CHANNEL_RATE, default 1.0): messages per second per channel, on average.
 * {@code channel-burst} (SLACK_CHANNEL_BURST, default 3): messages a quiet channel may take at once.
 * Without a token or a webhook, messages are written to the log. The token and the webhook URL are secrets:
 * {@link #toString} only says whether they are set.
 */
@ConfigurationProperties("slack")
public class SlackAppConfig {
    private String botToken;
    private String apiUrl = "https://slack.com/api/";
    private String webhookUrl;
    private double channelRate = 1.0;
    private int channelBurst = 3;

    public String getBotToken() {
        return botToken;
    }

    public void setBotToken(String botToken) {
        this.botToken = botToken;
    }

    public String getApiUrl() {
        return apiUrl;
    }

    public void setApiUrl(String apiUrl) {
        this.apiUrl = apiUrl;
    }

    public String getWebhookUrl() {
        return webhookUrl;
    }

    public void setWebhookUrl(String webhookUrl) {
        this.webhookUrl = webhookUrl;
    }

    public double getChannelRate() {
        return channelRate;
    }

    public void setChannelRate(double channelRate) {
        this.channelRate = channelRate;
    }

    public int getChannelBurst() {
        return channelBurst;
    }

    public void setChannelBurst(int channelBurst) {
        this.channelBurst = channelBurst;
    }

    @Override
    public String toString() {
        return "SlackAppConfig[botToken=" + set(botToken) + ", apiUrl=" + apiUrl + ", webhookUrl=" + set(webhookUrl)
                + ", channelRate=" + channelRate + ", channelBurst=" + channelBurst + "]";
    }

    static boolean configured(String value) {
        return value != null && !value.isBlank();
    }

    private static String set(String secret) {
        return configured(secret) ? "set" : "unset";
    }
}
