package dev.nightshift.notifier;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * The notifier's settings, each from its environment variable ({@code NOTIFIER_GROUP_ID} is
 * {@code notifier.group-id}); the defaults below are the only ones (the module's README lists them, and a
 * test holds the two together). Durations are ISO-8601 ({@code PT2M}); {@code 2m} and {@code 30s} are read too.
 * {@code group-id} (NOTIFIER_GROUP_ID, default nightshift-notifier): the consumer group.
 * {@code retry-budget} (NOTIFIER_RETRY_BUDGET, default PT2M): how long a message Slack refused with 429 or 5xx,
 * or that could not reach Slack, is retried, from its first try, before it goes to the dead-letter topic.
 * {@code retry-max-wait} (NOTIFIER_RETRY_MAX_WAIT, default PT30S): the longest wait between two tries, also
 * when Slack's Retry-After asks for more.
 * The Slack webhook is {@link dev.nightshift.notifier.slack.SlackWebhookConfig} (SLACK_WEBHOOK_URL).
 */
@ConfigurationProperties("notifier")
public class NotifierConfig {
    private String groupId = "nightshift-notifier";
    private Duration retryBudget = Duration.ofMinutes(2);
    private Duration retryMaxWait = Duration.ofSeconds(30);

    /**
     * Kafka's static membership: an id kept across restarts ({@code group.instance.id}), so that a restarted instance
     * takes its partitions back at once even after a crash; blank: dynamic membership, the default for several instances.
     */
    private String groupInstanceId = "";

    public String getGroupInstanceId() {
        return groupInstanceId;
    }

    public void setGroupInstanceId(String groupInstanceId) {
        this.groupInstanceId = groupInstanceId == null ? "" : groupInstanceId.trim();
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
        return "NotifierConfig[groupId=" + groupId + ", retryBudget=" + retryBudget + ", retryMaxWait=" + retryMaxWait + "]";
    }
}
