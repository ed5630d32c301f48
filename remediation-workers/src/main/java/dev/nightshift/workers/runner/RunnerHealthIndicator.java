package dev.nightshift.workers.runner;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/** The runner's readiness, in /health and /health/readiness: UP only while its Streams app is RUNNING, DOWN (503) otherwise. */
@Singleton
public class RunnerHealthIndicator implements HealthIndicator {
    private final RunnerStreams runner;

    public RunnerHealthIndicator(RunnerStreams runner) {
        this.runner = runner;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        HealthStatus status = HealthStatus.DOWN;
        if (runner.startFailure().isPresent()) {
            details.put("error", runner.startFailure().get().getMessage());
        } else if (runner.streams().isEmpty()) {
            details.put("state", "NOT_STARTED");
        } else {
            KafkaStreams.State state = runner.streams().get().state();
            details.put("state", state.name());
            status = state == KafkaStreams.State.RUNNING ? HealthStatus.UP : HealthStatus.DOWN;
        }
        return Publishers.just(HealthResult.builder("playbookRunner", status).details(details).build());
    }
}
