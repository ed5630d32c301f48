package dev.nightshift.notifier.planner;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/** The planner's readiness, in /health and /health/readiness: UP only while its Streams app is RUNNING, DOWN (503) otherwise. */
public class PlannerHealthIndicator implements HealthIndicator {
    private final PlannerStreams planner;

    public PlannerHealthIndicator(PlannerStreams planner) {
        this.planner = planner;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        HealthStatus status = HealthStatus.DOWN;
        if (planner.startFailure().isPresent()) {
            details.put("error", planner.startFailure().get().getMessage());
        } else if (planner.streams().isEmpty()) {
            details.put("state", "NOT_STARTED");
        } else {
            KafkaStreams.State state = planner.streams().get().state();
            details.put("state", state.name());
            status = state == KafkaStreams.State.RUNNING ? HealthStatus.UP : HealthStatus.DOWN;
        }
        return Publishers.just(HealthResult.builder("notificationPlanner", status).details(details).build());
    }
}
