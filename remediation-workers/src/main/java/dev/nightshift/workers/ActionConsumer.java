package dev.nightshift.workers;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.kafka.RecordLoop;
import dev.nightshift.kafka.RetryPolicy;
import dev.nightshift.kafka.TopicCreator;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.Topics;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Consumes every {@code actions.*} topic and writes one {@code remediation.outcomes} record per request.
 * <p>
 * Retry behaviour ({@link #retryPolicy}): a step whose AWS call failed in a way the {@link FailureClassifier}
 * calls retryable (throttled, unreachable, failed on AWS's side) is tried again, up to {@code retry-attempts}
 * (WORKERS_RETRY_ATTEMPTS) tries in all, 0.5 s after the first failure, then 1 s, 2 s and so on (at most 30 s);
 * the AWS SDK does not retry a call by itself. While a step waits, the requests behind it on its partition wait
 * too and the consumer polls on. A step given up on is recorded as a FAILED outcome
 * ({@link RemediationService#gaveUp}), not dead-lettered. An outcome that cannot be written waits and is
 * written later, without running the action again. An undecodable request goes to {@code actions.<action>.dlq}.
 * <p>
 * The constructor only builds: the loop starts once the application has started, and stops when it shuts down.
 */
@Singleton
public class ActionConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ActionConsumer.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final RemediationService service;
    private final WorkersConfig config;
    private final Producer<byte[], byte[]> producer;
    private final Topic<String, RemediationOutcome> outcomes;
    private final RecordLoop<RemediationRequest> loop;
    private final Admin admin;
    private final Topics topics;

    public ActionConsumer(PipelineSettings settings, RemediationService service, WorkersConfig config) {
        this.service = service;
        this.config = config;
        this.topics = settings.topics();
        this.outcomes = topics.remediationOutcomes();
        this.producer = new KafkaProducer<>(settings.kafka().producer("nightshift-workers"));
        Map<String, Object> consumerConfig = settings.kafka().consumer(config.getGroupId(), "nightshift-workers", config.getGroupInstanceId());
        // Action topics appear as playbooks name new actions: look for them every few seconds.
        consumerConfig.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
        this.admin = Admin.create(settings.kafka().common());
        this.loop = new RecordLoop<>("workers-actions", new KafkaConsumer<>(consumerConfig),
                RecordLoop.Subscription.pattern(topics.names().actionsPattern()), new TopicCreator(admin, 1, (short) -1), producer,
                topics.valueSerde(RemediationRequest.class).deserializer(),
                (record, request) -> handle(request), retryPolicy(config, this::gaveUp));
    }

    /** The workers' retries: see the class comment. */
    static RetryPolicy<RemediationRequest> retryPolicy(WorkersConfig config, RetryPolicy.GaveUp<RemediationRequest> gaveUp) {
        return RetryPolicy.<RemediationRequest>attempts(config.getRetryAttempts(), FIRST_BACKOFF, MAX_BACKOFF, FailureClassifier::retryable)
                .onGiveUp(gaveUp);
    }

    @EventListener
    void start(ApplicationStartupEvent started) {
        loop.start();
        LOG.info("workers consuming {} (dry-run: {}, actions: {}; {})", topics.names().actionsPattern(), config.isDryRun(),
                service.actionNames(), retryPolicy(config, this::gaveUp));
    }

    /** Throws a retryable failure of the step; the outcome of every other case is written. */
    private void handle(RemediationRequest request) throws Exception {
        var outcome = service.handle(request);
        if (outcome.isPresent()) {
            write(request, outcome.get());
        }
    }

    private void gaveUp(ConsumerRecord<byte[], byte[]> record, RemediationRequest request, Exception error) {
        write(request, service.gaveUp(request, error));
    }

    private void write(RemediationRequest request, RemediationOutcome outcome) {
        try {
            producer.send(new ProducerRecord<>(outcomes.name(), request.getIncidentId().getBytes(StandardCharsets.UTF_8),
                    outcomes.valueSerde().serializer().serialize(outcomes.name(), outcome))).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new RecordLoop.Unavailable("could not write the outcome of request " + request.getRequestId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordLoop.Unavailable("interrupted while writing the outcome of request " + request.getRequestId(), e);
        }
        service.written(request.getRequestId());
    }

    RecordLoop<RemediationRequest> loop() {
        return loop;
    }

    @PreDestroy
    void close() {
        loop.close();
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
