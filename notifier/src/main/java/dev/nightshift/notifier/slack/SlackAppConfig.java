package dev.nightshift.notifier.slack;

import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsConfig;
import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;

/**
 * How the notifier reaches Slack, each setting from its environment variable ({@code SLACK_BOT_TOKEN} is
 * {@code slack.bot-token}); the defaults below are the only ones (the module's README lists them, and a test holds the
 * two together). The delivery worker, the planner (the default channel) and the interactions endpoint (users.info)
 * all read these.
 * {@code bot-token} (SLACK_BOT_TOKEN, no default): the Slack app's bot token, or a secret reference; with it, threads and buttons.
 * {@code api-url} (SLACK_API_URL, default https://slack.com/api/): Slack's Web API.
 * {@code default-channel} (SLACK_DEFAULT_CHANNEL, no default): the channel of a team whose ownership names none.
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
    private String defaultChannel = "";
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
        this.apiUrl = apiUrl == null || apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
    }

    public String getDefaultChannel() {
        return defaultChannel;
    }

    public void setDefaultChannel(String defaultChannel) {
        this.defaultChannel = defaultChannel == null ? "" : defaultChannel.trim();
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

    /** Settings with the Web API at {@code apiUrl} and every other default (a test's fake Slack). */
    public static SlackAppConfig at(String apiUrl) {
        SlackAppConfig config = new SlackAppConfig();
        config.setApiUrl(apiUrl);
        return config;
    }

    /** Whether a bot token is set (the app mode). */
    public boolean hasToken() {
        return configured(botToken);
    }

    /**
     * The one configuration of Slack's client ({@code slack-api-client}) the notifier uses, for delivering and for
     * looking people up: the Web API at {@link #getApiUrl}, no listener that logs requests or answers (an answer may hold
     * a person's e-mail, a request the token), no statistics calls of its own.
     */
    public SlackConfig clientConfig(Duration callTimeout) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl);
        config.setHttpClientResponseHandlers(new ArrayList<>());
        config.setPrettyResponseLoggingEnabled(false);
        config.setStatsEnabled(false);
        MethodsConfig methods = new MethodsConfig();
        methods.setStatsEnabled(false);
        config.setMethodsConfig(methods);
        config.setFailOnUnknownProperties(false);
        config.setHttpClientCallTimeoutMillis((int) callTimeout.toMillis());
        return config;
    }

    @Override
    public String toString() {
        return "SlackAppConfig[botToken=" + set(botToken) + ", apiUrl=" + apiUrl + ", defaultChannel=" + defaultChannel
                + ", webhookUrl=" + set(webhookUrl) + ", channelRate=" + channelRate + ", channelBurst=" + channelBurst + "]";
    }

    static boolean configured(String value) {
        return value != null && !value.isBlank();
    }

    private static String set(String secret) {
        return configured(secret) ? "set" : "unset";
    }
}
