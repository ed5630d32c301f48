package dev.nightshift.notifier;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * The notifier's settings ({@code nightshift.notifier.*}).
 * {@code slack-webhook-url} (SLACK_WEBHOOK_URL): a Slack incoming webhook; without it messages are logged.
 * {@code group-id} (NOTIFIER_GROUP_ID, default nightshift-notifier).
 * {@code retry-attempts} (NOTIFIER_RETRY_ATTEMPTS, default 3): tries of a message Slack refused with 429 or 5xx.
 */
@ConfigurationProperties("nightshift.notifier")
public class NotifierConfig {
    private String slackWebhookUrl;
    private String groupId = "nightshift-notifier";
    private int retryAttempts = 3;

    public String getSlackWebhookUrl() {
        return slackWebhookUrl;
    }

    public void setSlackWebhookUrl(String slackWebhookUrl) {
        this.slackWebhookUrl = slackWebhookUrl;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public int getRetryAttempts() {
        return retryAttempts;
    }

    public void setRetryAttempts(int retryAttempts) {
        this.retryAttempts = retryAttempts;
    }

    @Override
    public String toString() {
        return "NotifierConfig[slackWebhook=" + (slackWebhookUrl != null && !slackWebhookUrl.isBlank() ? "set" : "unset")
                + ", groupId=" + groupId + "]";
    }
}
