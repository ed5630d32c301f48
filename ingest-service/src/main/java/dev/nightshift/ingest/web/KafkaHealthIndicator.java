package dev.nightshift.ingest.web;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** /health says DOWN unless the Kafka cluster answers a describe-cluster request within 3 s. */
@Singleton
public class KafkaHealthIndicator implements HealthIndicator {
    private final Admin admin;

    public KafkaHealthIndicator(@Named("kafka-health") Admin admin) {
        this.admin = admin;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        CompletableFuture<HealthResult> result = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                .nodes().toCompletionStage().toCompletableFuture()
                .thenApply(nodes -> {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("brokers", nodes.size());
                    return HealthResult.builder("kafka", nodes.isEmpty() ? HealthStatus.DOWN : HealthStatus.UP)
                            .details(details).build();
                })
                .exceptionally(e -> HealthResult.builder("kafka", HealthStatus.DOWN)
                        .details(Map.of("error", "the Kafka cluster did not answer")).build());
        return Publishers.fromCompletableFuture(result);
    }
}
