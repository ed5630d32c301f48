package dev.nightshift.notifier.interactions;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Slack's Web API as the interactions endpoint calls it (only {@code users.info}, for the e-mail of the person who
 * pressed a button): {@code bot-token} (SLACK_BOT_TOKEN, no default: no look-up) and {@code api-url} (SLACK_API_URL,
 * default {@code https://slack.com/api/}, so a test points the real client at a fake). The token is a secret:
 * {@link #toString} only says whether it is set.
 */
@ConfigurationProperties("slack")
public class SlackApiConfig {
    private String botToken;
    private String apiUrl = "https://slack.com/api/";

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

    public boolean hasToken() {
        return botToken != null && !botToken.isBlank();
    }

    @Override
    public String toString() {
        return "SlackApiConfig[botToken=" + (hasToken() ? "set" : "unset") + ", apiUrl=" + apiUrl + "]";
    }
}
