package dev.nightshift.notifier;

import dev.nightshift.kafka.KafkaSettings;
import dev.nightshift.kafka.RetryPolicy;
import dev.nightshift.notifier.slack.SlackException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The notifier's declared retries of a Slack post, with its default settings, and its consumer settings. */
class NotificationConsumerTest {
    private final RetryPolicy<SpecificRecord> policy = NotificationConsumer.retryPolicy(new NotifierConfig());

    private static SlackException refused(int status, Duration retryAfter) {
        return new SlackException("Slack webhook refused the message: HTTP " + status, status == 429 || status >= 500, retryAfter, null);
    }

    @Test
    void aRateLimitedMessageWaitsAsLongAsSlackAskedButNeverMoreThanTheLongestWait() {
        assertThat(policy.nextTry(1, Duration.ZERO, refused(429, Duration.ofSeconds(7)))).contains(Duration.ofSeconds(7));
        assertThat(policy.nextTry(1, Duration.ZERO, refused(429, Duration.ofMinutes(10)))).contains(Duration.ofSeconds(30));
    }

    @Test
    void anUnreachableOrFailingSlackIsTriedAgainAfterABackoffThatDoubles() {
        SlackException unreachable = new SlackException("Slack webhook unreachable: ConnectException", true, null);

        assertThat(policy.nextTry(1, Duration.ZERO, unreachable)).contains(Duration.ofSeconds(1));
        assertThat(policy.nextTry(2, Duration.ofSeconds(1), refused(503, null))).contains(Duration.ofSeconds(2));
    }

    @Test
    void aRemovedWebhookIsGivenUpAtOnce() {
        assertThat(policy.nextTry(1, Duration.ZERO, refused(404, null))).isEmpty();
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
        assertThat(spent).isLessThanOrEqualTo(new NotifierConfig().getRetryBudget());
    }

    @Test
    void aRetryBudgetLongerThanThePollIntervalIsFineSinceWaitsAreNotSpentInAPoll() {
        NotifierConfig config = new NotifierConfig();
        config.setRetryBudget(Duration.ofMinutes(30));

        Map<String, Object> consumer = NotificationConsumer.consumerConfig(KafkaSettings.of("localhost:9092"), config);
        assertThat(NotificationConsumer.retryPolicy(config).nextTry(9, Duration.ofMinutes(20), refused(503, null)))
                .contains(Duration.ofSeconds(30));
        assertThat(consumer).containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    }
}
