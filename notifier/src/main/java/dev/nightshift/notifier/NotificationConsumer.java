package dev.nightshift.notifier;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.kafka.RecordLoop;
import dev.nightshift.kafka.TopicCreator;
import dev.nightshift.notifier.slack.SlackException;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.topics.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Consumes {@code incidents} and {@code remediation.outcomes} and hands each record to the
 * {@link NotifierService}. Retry behaviour: a message Slack refused with 429/5xx or could not be
 * reached for is retried {@code retry-attempts} times with doubling backoff from one second; a
 * permanent refusal or an undecodable record goes to the topic's {@code .dlq}.
 */
@Context
public class NotificationConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationConsumer.class);

    private final Producer<byte[], byte[]> deadLetters;
    private final RecordLoop<SpecificRecord> loop;
    private final Admin admin;

    public NotificationConsumer(PipelineSettings settings, NotifierService service, NotifierConfig config) {
        Topics topics = settings.topics();
        this.deadLetters = new KafkaProducer<>(settings.kafka().producer("nightshift-notifier"));
        this.admin = Admin.create(settings.kafka().common());
        List<String> subscribed = List.of(topics.incidents().name(), topics.remediationOutcomes().name());
        this.loop = new RecordLoop<>("notifier", new KafkaConsumer<>(settings.kafka().consumer(config.getGroupId(), "nightshift-notifier")),
                RecordLoop.Subscription.topics(subscribed), new TopicCreator(admin, 1, (short) -1), deadLetters,
                new RegistryAvroDeserializer<>(topics.registry(), null),
                (record, value) -> service.handle(value),
                new RecordLoop.Retry(config.getRetryAttempts(), Duration.ofSeconds(1),
                        error -> error instanceof SlackException slack && slack.retryable())).start();
        LOG.info("notifier consuming {} ({})", subscribed, config);
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
