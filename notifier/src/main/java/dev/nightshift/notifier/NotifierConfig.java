package dev.nightshift.notifier;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * The notifier's settings ({@code nightshift.notifier.*}).
 * {@code slack-webhook-url} (SLACK_WEBHOOK_URL): a Slack incoming webhook; without it messages are logged.
 * {@code group-id} (NOTIFIER_GROUP_ID, default nightshift-notifier).
 * {@code retry-budget} (NOTIFIER_RETRY_BUDGET, default 2m): how long a message Slack refused with 429 or 5xx,
 * or that could not reach Slack, is retried before it goes to the dead-letter topic.
 * {@code retry-max-wait} (NOTIFIER_RETRY_MAX_WAIT, default 30s): the longest wait between two tries, also
 * when Slack's Retry-After asks for more.
 */
@ConfigurationProperties("nightshift.notifier")
public class NotifierConfig {
    private String slackWebhookUrl;
    private String groupId = "nightshift-notifier";
    private Duration retryBudget = Duration.ofMinutes(2);
    private Duration retryMaxWait = Duration.ofSeconds(30);

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

    public Duration getRetryBudget() {
        return retryBudget;
    }

    public void setRetryBudget(Duration retryBudget) {
        this.retryBudget = retryBudget;
    }

    public Duration getRetryMaxWait() {
        return retryMaxWait;
    }

    public void setRetryMaxWait(Duration retryMaxWait) {
        this.retryMaxWait = retryMaxWait;
    }

    @Override
    public String toString() {
        return "NotifierConfig[slackWebhook=" + (slackWebhookUrl != null && !slackWebhookUrl.isBlank() ? "set" : "unset")
                + ", groupId=" + groupId + ", retryBudget=" + retryBudget.toSeconds() + "s, retryMaxWait=" + retryMaxWait.toSeconds() + "s]";
    }
}
