package dev.nightshift.notifier.delivery;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * The delivery worker's settings, each from its environment variable ({@code NOTIFIER_GROUP_ID} is
 * {@code notifier.group-id}); the defaults below are the only ones (the module's README lists them, and a test holds the
 * two together). Durations are ISO-8601 ({@code PT2M}); {@code 2m} and {@code 30s} are read too.
 * {@code group-id} (NOTIFIER_GROUP_ID, default nightshift-notifier): the consumer group of the outbox.
 * {@code group-instance-id} (NOTIFIER_GROUP_INSTANCE_ID, default blank): Kafka's static membership.
 * {@code delivery-threads} (NOTIFIER_DELIVERY_THREADS, default 4): the delivery workers in one instance, each a member of
 * the group with the outbox partitions the group gives it.
 * {@code retry-budget} (NOTIFIER_RETRY_BUDGET, default PT2M): how long a delivery that Slack, the tracker or the pager
 * refused with 429 or 5xx, or that could not reach them, is retried, from its first try, before it is given up.
 * {@code retry-max-wait} (NOTIFIER_RETRY_MAX_WAIT, default PT30S): the longest wait between two tries, also when a
 * service's Retry-After asks for more.
 */
@ConfigurationProperties("notifier")
public class DeliveryConfig {
    private String groupId = "nightshift-notifier";
    private Duration retryBudget = Duration.ofMinutes(2);
    private Duration retryMaxWait = Duration.ofSeconds(30);
    private int deliveryThreads = 4;

    /**
     * Kafka's static membership: an id kept across restarts ({@code group.instance.id}), so that a restarted instance
     * takes its partitions back at once even after a crash; blank: dynamic membership, the default for several instances.
     * Each delivery worker's member id and transactional id are this id with the worker's index appended
     * ({@code notifier-1-0}, {@code notifier-1-1}, ...), so a restarted worker fences its previous self.
     */
    private String groupInstanceId = "";

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public String getGroupInstanceId() {
        return groupInstanceId;
    }

    public void setGroupInstanceId(String groupInstanceId) {
        this.groupInstanceId = groupInstanceId == null ? "" : groupInstanceId.trim();
    }

    public int getDeliveryThreads() {
        return deliveryThreads;
    }

    public void setDeliveryThreads(int deliveryThreads) {
        if (deliveryThreads < 1) {
            throw new IllegalArgumentException("NOTIFIER_DELIVERY_THREADS must be at least 1, not " + deliveryThreads);
        }
        this.deliveryThreads = deliveryThreads;
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
        return "DeliveryConfig[groupId=" + groupId + ", groupInstanceId=" + groupInstanceId + ", deliveryThreads=" + deliveryThreads + ", retryBudget=" + retryBudget
                + ", retryMaxWait=" + retryMaxWait + "]";
    }
}
