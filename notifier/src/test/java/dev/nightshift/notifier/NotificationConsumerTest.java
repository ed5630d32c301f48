package dev.nightshift.notifier;

import dev.nightshift.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The notifier's consumer settings keep a record's Slack retries inside the group's poll interval. */
class NotificationConsumerTest {
    @Test
    void theConsumerTakesOneRecordPerPoll() {
        Map<String, Object> consumer = NotificationConsumer.consumerConfig(KafkaSettings.of("localhost:9092"), new NotifierConfig());

        assertThat(consumer).containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    }

    @Test
    void aRetryBudgetThatCouldOutlastThePollIntervalIsRefused() {
        NotifierConfig config = new NotifierConfig();
        config.setRetryBudget(Duration.ofMinutes(5));

        assertThatThrownBy(() -> NotificationConsumer.consumerConfig(KafkaSettings.of("localhost:9092"), config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NOTIFIER_RETRY_BUDGET")
                .hasMessageContaining("max.poll.interval.ms (300 s)");
    }

    @Test
    void aLongerPollIntervalFromTheClientConfigAllowsALongerBudget() {
        NotifierConfig config = new NotifierConfig();
        config.setRetryBudget(Duration.ofMinutes(5));
        KafkaSettings kafka = new KafkaSettings("localhost:9092", Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "600000"));

        assertThat(NotificationConsumer.consumerConfig(kafka, config)).containsEntry(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "600000");
    }
}
