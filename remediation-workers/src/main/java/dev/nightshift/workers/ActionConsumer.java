package dev.nightshift.workers;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.kafka.RecordLoop;
import dev.nightshift.kafka.RetryPolicy;
import dev.nightshift.kafka.TopicCreator;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.Topics;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Consumes every {@code actions.*} topic and writes one {@code remediation.outcomes} record per
 * request. Retry behaviour: a failure the {@link FailureClassifier} calls retryable is tried again
 * up to {@code retry-attempts} times with doubling backoff, then recorded as FAILED; an undecodable
 * request goes to {@code actions.<action>.dlq}.
 */
@Context
public class ActionConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ActionConsumer.class);

    private final RemediationService service;
    private final WorkersConfig config;
    private final Producer<byte[], byte[]> producer;
    private final Topic<String, RemediationOutcome> outcomes;
    private final RecordLoop<RemediationRequest> loop;
    private final Admin admin;

    public ActionConsumer(PipelineSettings settings, RemediationService service, WorkersConfig config) {
        this.service = service;
        this.config = config;
        Topics topics = settings.topics();
        this.outcomes = topics.remediationOutcomes();
        this.producer = new KafkaProducer<>(settings.kafka().producer("nightshift-workers"));
        Map<String, Object> consumerConfig = settings.kafka().consumer(config.getGroupId(), "nightshift-workers");
        // Action topics appear as playbooks name new actions: look for them every few seconds.
        consumerConfig.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
        this.admin = Admin.create(settings.kafka().common());
        this.loop = new RecordLoop<>("workers-actions", new KafkaConsumer<>(consumerConfig),
                RecordLoop.Subscription.pattern(topics.names().actionsPattern()), new TopicCreator(admin, 1, (short) -1), producer,
                topics.valueSerde(RemediationRequest.class).deserializer(),
                (record, request) -> handle(request), RetryPolicy.none()).start();
        LOG.info("workers consuming {} (dry-run: {}, actions: {})", topics.names().actionsPattern(), config.isDryRun(), service.actionNames());
    }

    private void handle(RemediationRequest request) throws Exception {
        RemediationOutcome outcome = runWithRetries(request).orElse(null);
        if (outcome == null) {
            return;
        }
        Serializer<RemediationOutcome> serializer = outcomes.valueSerde().serializer();
        producer.send(new ProducerRecord<>(outcomes.name(), request.getIncidentId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                serializer.serialize(outcomes.name(), outcome))).get(30, TimeUnit.SECONDS);
        service.written(request.getRequestId());
    }

    private Optional<RemediationOutcome> runWithRetries(RemediationRequest request) throws InterruptedException {
        Duration backoff = Duration.ofMillis(500);
        for (int attempt = 1; ; attempt++) {
            try {
                return service.handle(request);
            } catch (Exception e) {
                if (attempt >= config.getRetryAttempts()) {
                    return Optional.of(service.gaveUp(request, e));
                }
                LOG.warn("incident {} step {}: attempt {} failed ({}), retrying", request.getIncidentId(), request.getStepIndex(),
                        attempt, FailureClassifier.describe(e));
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    public boolean healthy() {
        return loop.healthy();
    }

    @PreDestroy
    void close() {
        loop.close();
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
