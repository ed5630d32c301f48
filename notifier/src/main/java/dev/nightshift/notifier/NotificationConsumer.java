package dev.nightshift.notifier;

import dev.nightshift.kafka.KafkaSettings;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.kafka.RecordLoop;
import dev.nightshift.kafka.RetryPolicy;
import dev.nightshift.kafka.TopicCreator;
import dev.nightshift.notifier.slack.RetryingSlackClient;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.topics.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Consumes {@code incidents} and {@code remediation.outcomes} and hands each record to the
 * {@link NotifierService}. Retry behaviour: the Slack client itself retries a message Slack refused
 * with 429/5xx or could not be reached for, for up to {@code retry-budget} ({@link RetryingSlackClient});
 * the loop does not retry on top of it. What the client gives up on, a permanent refusal (a removed
 * webhook) and an undecodable record go to the topic's {@code .dlq} at once.
 * <p>
 * One record per poll: a record may take the whole retry budget, and the next poll must come within
 * {@code max.poll.interval.ms}, so the budget (plus one post and a dead-letter write) must fit in it.
 */
@Context
public class NotificationConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationConsumer.class);
    /** Beyond the budget a record may take one more post (10 s), its dead-letter write (30 s at most) and the commit. */
    static final Duration BEYOND_THE_BUDGET = Duration.ofMinutes(1);

    private final Producer<byte[], byte[]> deadLetters;
    private final RecordLoop<SpecificRecord> loop;
    private final Admin admin;

    public NotificationConsumer(PipelineSettings settings, NotifierService service, NotifierConfig config) {
        Topics topics = settings.topics();
        Map<String, Object> consumerConfig = consumerConfig(settings.kafka(), config);
        this.deadLetters = new KafkaProducer<>(settings.kafka().producer("nightshift-notifier"));
        this.admin = Admin.create(settings.kafka().common());
        List<String> subscribed = List.of(topics.incidents().name(), topics.remediationOutcomes().name());
        this.loop = new RecordLoop<>("notifier", new KafkaConsumer<>(consumerConfig),
                RecordLoop.Subscription.topics(subscribed), new TopicCreator(admin, 1, (short) -1), deadLetters,
                new RegistryAvroDeserializer<>(topics.registry(), null),
                (record, value) -> service.handle(value),
                RetryPolicy.none()).start();
        LOG.info("notifier consuming {} ({})", subscribed, config);
    }

    /**
     * The consumer's settings: one record per poll. Refuses a retry budget that could keep the
     * loop from polling again within {@code max.poll.interval.ms} (the group would evict it).
     */
    static Map<String, Object> consumerConfig(KafkaSettings kafka, NotifierConfig config) {
        Map<String, Object> consumer = kafka.consumer(config.getGroupId(), "nightshift-notifier");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        Duration maxPollInterval = Duration.ofMillis(new ConsumerConfig(consumer).getInt(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
        if (config.getRetryBudget().plus(BEYOND_THE_BUDGET).compareTo(maxPollInterval) > 0) {
            throw new IllegalArgumentException("nightshift.notifier.retry-budget (NOTIFIER_RETRY_BUDGET) is "
                    + config.getRetryBudget().toSeconds() + " s: with " + BEYOND_THE_BUDGET.toSeconds()
                    + " s more for the last post and the dead-letter write it must fit in max.poll.interval.ms ("
                    + maxPollInterval.toSeconds() + " s)");
        }
        return consumer;
    }

    public boolean healthy() {
        return loop.healthy();
    }

    @PreDestroy
    void close() {
        loop.close();
        deadLetters.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
