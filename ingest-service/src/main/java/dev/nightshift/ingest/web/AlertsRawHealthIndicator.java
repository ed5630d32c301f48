package dev.nightshift.ingest.web;

import dev.nightshift.ingest.publish.AlertPublisher;
import dev.nightshift.schema.Alert;
import dev.nightshift.serde.ConfluentWireFormat;
import dev.nightshift.serde.SchemaRegistryException;
import dev.nightshift.topics.Topics;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ingest is ready only while it can write to {@code alerts.raw}: the producer is open, the cluster
 * describes the topic within 3 s with a leader for every partition, and the registry has given the
 * id of the alerts' schema (the id is kept once known, so the registry matters only until then).
 * Anything else is DOWN, never UNKNOWN, so that {@code /health} and {@code /health/readiness} answer 503.
 */
@Singleton
@Readiness
public class AlertsRawHealthIndicator implements HealthIndicator {
    static final String NAME = "alertsRaw";
    private static final long TIMEOUT_MS = 3000;

    private final Admin admin;
    private final AlertPublisher publisher;
    private final Topics topics;
    private final Executor blocking;
    /** The lookup of the alerts' schema id: kept once it has succeeded, started again after a failure. */
    private CompletableFuture<Integer> schemaLookup;

    public AlertsRawHealthIndicator(@Named("kafka-health") Admin admin, AlertPublisher publisher, Topics topics,
                                    @Named(TaskExecutors.BLOCKING) Executor blocking) {
        this.admin = admin;
        this.publisher = publisher;
        this.topics = topics;
        this.blocking = blocking;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        CompletableFuture<HealthResult> result;
        try {
            result = check().exceptionally(this::down);
        } catch (RuntimeException e) {
            result = CompletableFuture.completedFuture(down(e));
        }
        return Publishers.fromCompletableFuture(result);
    }

    private CompletableFuture<HealthResult> check() {
        String topic = topics.alertsRaw().name();
        if (!publisher.isOpen()) {
            return CompletableFuture.completedFuture(down("the producer to " + topic + " is closed"));
        }
        CompletableFuture<TopicDescription> described = admin
                .describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) TIMEOUT_MS))
                .topicNameValues().get(topic).toCompletionStage().toCompletableFuture();
        return described.thenCombine(schemaId(topic), (description, id) -> {
            List<Integer> leaderless = description.partitions().stream()
                    .filter(p -> p.leader() == null || p.leader().isEmpty())
                    .map(TopicPartitionInfo::partition).toList();
            if (!leaderless.isEmpty()) {
                return down("partitions " + leaderless + " of " + topic + " have no leader");
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("topic", topic);
            details.put("partitions", description.partitions().size());
            details.put("schemaId", id);
            return HealthResult.builder(NAME, HealthStatus.UP).details(details).build();
        });
    }

    private synchronized CompletableFuture<Integer> schemaId(String topic) {
        if (schemaLookup == null || schemaLookup.isCompletedExceptionally()) {
            schemaLookup = CompletableFuture.supplyAsync(() -> topics.registry()
                    .idFor(ConfluentWireFormat.subject(topic, false), Alert.getClassSchema()), blocking);
        }
        return schemaLookup.copy().orTimeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private HealthResult down(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String topic = topics.alertsRaw().name();
        if (e instanceof UnknownTopicOrPartitionException) {
            return down("the topic " + topic + " does not exist");
        }
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return down("the Kafka cluster did not describe " + topic + " within " + TIMEOUT_MS + " ms");
        }
        if (e instanceof TimeoutException) {
            return down("the schema registry did not answer within " + TIMEOUT_MS + " ms");
        }
        if (e instanceof SchemaRegistryException) {
            return down("the schema registry did not give the id of the alerts' schema");
        }
        return down("the topic " + topic + " could not be described (" + e.getClass().getSimpleName() + ")");
    }

    private static HealthResult down(String reason) {
        return HealthResult.builder(NAME, HealthStatus.DOWN).details(Map.of("reason", reason)).build();
    }
}
