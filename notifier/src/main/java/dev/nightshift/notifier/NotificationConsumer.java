package dev.nightshift.notifier;

import dev.nightshift.kafka.KafkaSettings;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.kafka.RecordLoop;
import dev.nightshift.kafka.RetryPolicy;
import dev.nightshift.kafka.TopicCreator;
import dev.nightshift.notifier.slack.SlackFailureClassifier;
import dev.nightshift.notifier.slack.SlackWebhookConfig;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.topics.Topics;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
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
 * Consumes {@code incidents} and {@code remediation.outcomes} and hands each record to the {@link NotifierService}.
 * <p>
 * Retry behaviour ({@link #retryPolicy}): a message Slack refused with 429 or 5xx, or could not be reached for
 * ({@link SlackFailureClassifier}), is tried again for up to {@code retry-budget} (NOTIFIER_RETRY_BUDGET) from its
 * first try: after as long as Slack's {@code Retry-After} asked, or else after 1 s, 2 s, 4 s and so on, never more
 * than {@code retry-max-wait} (NOTIFIER_RETRY_MAX_WAIT) at once. While a message waits, the records behind it on its
 * partition wait too and the consumer polls on. A message given up on, a permanent refusal (a removed webhook: at
 * once) and an undecodable record go to the topic's {@code .dlq}.
 * <p>
 * One record per poll: a record may take one post (at most {@link dev.nightshift.notifier.slack.WebhookSlackClient#CALL_TIMEOUT})
 * and a dead-letter write before the next poll, which must come within {@code max.poll.interval.ms}. The constructor
 * only builds: the loop starts once the application has started, and stops when it shuts down.
 */
@Singleton
public class NotificationConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationConsumer.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final Producer<byte[], byte[]> deadLetters;
    private final RecordLoop<SpecificRecord> loop;
    private final Admin admin;
    private final List<String> subscribed;
    private final NotifierConfig config;
    private final SlackWebhookConfig slack;

    public NotificationConsumer(PipelineSettings settings, NotifierService service, NotifierConfig config, SlackWebhookConfig slack) {
        this.config = config;
        this.slack = slack;
        Topics topics = settings.topics();
        this.deadLetters = new KafkaProducer<>(settings.kafka().producer("nightshift-notifier"));
        this.admin = Admin.create(settings.kafka().common());
        this.subscribed = List.of(topics.incidents().name(), topics.remediationOutcomes().name());
        this.loop = new RecordLoop<>("notifier", new KafkaConsumer<>(consumerConfig(settings.kafka(), config)),
                RecordLoop.Subscription.topics(subscribed), new TopicCreator(admin, 1, (short) -1), deadLetters,
                new RegistryAvroDeserializer<>(topics.registry(), null),
                (record, value) -> service.handle(value), retryPolicy(config));
    }

    /** The notifier's retries: see the class comment. */
    static RetryPolicy<SpecificRecord> retryPolicy(NotifierConfig config) {
        return RetryPolicy.<SpecificRecord>within(config.getRetryBudget(), FIRST_BACKOFF, config.getRetryMaxWait(),
                SlackFailureClassifier::retryable).honouring(SlackFailureClassifier::requestedWait);
    }

    /** The consumer's settings: one record per poll. */
    static Map<String, Object> consumerConfig(KafkaSettings kafka, NotifierConfig config) {
        Map<String, Object> consumer = kafka.consumer(config.getGroupId(), "nightshift-notifier", config.getGroupInstanceId());
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        return consumer;
    }

    @EventListener
    void start(ApplicationStartupEvent started) {
        loop.start();
        LOG.info("notifier consuming {} ({}, {}; {})", subscribed, config, slack, retryPolicy(config));
    }

    RecordLoop<SpecificRecord> loop() {
        return loop;
    }

    @PreDestroy
    void close() {
        loop.close();
        deadLetters.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
