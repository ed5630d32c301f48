package dev.nightshift.notifier.delivery;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.kafka.RetryPolicy;
import dev.nightshift.notifier.Records;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.nightshift.notifier.Records.incident;
import static org.assertj.core.api.Assertions.assertThat;

/** The delivery worker's declared retries with its default settings, its consumer settings, and which updates are coalesced. */
class DeliveryConsumerTest {
    private final RetryPolicy<Notification> policy = DeliveryConsumer.retryPolicy(new DeliveryConfig());

    private static DeliveryException refused(int status, Duration retryAfter) {
        return new DeliveryRefused("Slack answered HTTP " + status, status == 429 || status >= 500, retryAfter);
    }

    @Test
    void aRateLimitedDeliveryWaitsAsLongAsAskedButNeverMoreThanTheLongestWait() {
        assertThat(policy.nextTry(1, Duration.ZERO, refused(429, Duration.ofSeconds(7)))).contains(Duration.ofSeconds(7));
        assertThat(policy.nextTry(1, Duration.ZERO, refused(429, Duration.ofMinutes(10)))).contains(Duration.ofSeconds(30));
    }

    @Test
    void anUnreachableOrFailingServiceIsTriedAgainAfterABackoffThatDoubles() {
        DeliveryException unreachable = new DeliveryException("Slack unreachable (ConnectException)", true, null);

        assertThat(policy.nextTry(1, Duration.ZERO, unreachable)).contains(Duration.ofSeconds(1));
        assertThat(policy.nextTry(2, Duration.ofSeconds(1), refused(503, null))).contains(Duration.ofSeconds(2));
    }

    @Test
    void aPermanentRefusalABugOrAnInvalidNotificationIsGivenUpAtOnce() {
        assertThat(policy.nextTry(1, Duration.ZERO, refused(404, null))).isEmpty();
        assertThat(policy.nextTry(1, Duration.ZERO, new InvalidNotification("no channel"))).isEmpty();
        assertThat(policy.nextTry(1, Duration.ZERO, new NullPointerException())).isEmpty();
        assertThat(policy.gaveUpHandler()).as("given up on: the dead-letter topic").isEmpty();
    }

    @Test
    void anOutageLongerThanTheBudgetIsGivenUpWithinTheBudget() {
        List<Duration> waits = new ArrayList<>();
        Duration spent = Duration.ZERO;
        for (int failures = 1; ; failures++) {
            Optional<Duration> wait = policy.nextTry(failures, spent, refused(503, null));
            if (wait.isEmpty()) {
                break;
            }
            waits.add(wait.get());
            spent = spent.plus(wait.get());
        }
        // 1 + 2 + 4 + 8 + 16 + 30 + 30 s; a further 30 s would end after the two minutes
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertThat(spent).isLessThanOrEqualTo(new DeliveryConfig().getRetryBudget());
    }

    @Test
    void theWorkerReadsCommittedRecordsInBatchesAndCommitsNothingItself() {
        DeliveryConfig config = new DeliveryConfig();
        config.setGroupInstanceId("notifier-1");

        var consumer = DeliveryConsumer.consumerConfig(PipelineSettings.from(key -> null), config, 2);

        assertThat(consumer).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "nightshift-notifier")
                .as("each worker its own member of the group").containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "notifier-1-2")
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, DeliveryConsumer.MAX_POLL_RECORDS);
    }

    @Test
    void anUpdateFollowedByANewerUpdateOfTheSameMessageIsCoalesced() {
        Notification parent1 = update("thread:k1:u:inc-1:2", "k1", NotificationKind.THREAD_UPDATE, null);
        Notification reply = update("inc-1:step:r1", "k1", NotificationKind.REPLY, null);
        Notification parent2 = update("thread:k1:u:inc-1:3", "k1", NotificationKind.THREAD_UPDATE, null);
        Notification otherThread = update("thread:k2:u:inc-2:2", "k2", NotificationKind.THREAD_UPDATE, null);
        Notification vote = update("inc-1:approval:a1:u:1", "k1", NotificationKind.REPLY_UPDATE, "inc-1:approval:a1");
        Notification decision = update("inc-1:approval:a1:u:2", "k1", NotificationKind.REPLY_UPDATE, "inc-1:approval:a1");
        List<Notification> batch = Arrays.asList(parent1, reply, vote, null, parent2, otherThread, decision);

        assertThat(DeliveryLoop.supersededBy(batch, 0)).isEqualTo("thread:k1:u:inc-1:3");
        assertThat(DeliveryLoop.supersededBy(batch, 1)).as("a reply is never coalesced").isNull();
        assertThat(DeliveryLoop.supersededBy(batch, 2)).isEqualTo("inc-1:approval:a1:u:2");
        assertThat(DeliveryLoop.supersededBy(batch, 4)).as("the newest is sent").isNull();
        assertThat(DeliveryLoop.supersededBy(batch, 5)).as("another thread's").isNull();
        assertThat(DeliveryLoop.supersededBy(batch, 6)).isNull();
    }

    private static Notification update(String id, String threadKey, NotificationKind kind, String updates) {
        return Records.notification(id, threadKey, NotificationTarget.SLACK, kind, "acknowledged",
                incident("inc-1", "acknowledged", IncidentState.ACKNOWLEDGED, 1)).setUpdates(updates).build();
    }
}
