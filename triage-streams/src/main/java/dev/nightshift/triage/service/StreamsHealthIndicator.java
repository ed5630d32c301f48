package dev.nightshift.triage.service;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Triage's readiness, in /health and /health/readiness: UP only while its Streams instance is RUNNING,
 * that is, while it triages alerts; DOWN (HTTP 503) before it has started, while it rebalances, and
 * after it failed or stopped. While ownership updates wait for an unreachable schema registry, a
 * detail says since when (routing goes on with the ownership as it stands, so that alone is not DOWN).
 */
@Singleton
public class StreamsHealthIndicator implements HealthIndicator {
    private final TriageStreams triage;

    public StreamsHealthIndicator(TriageStreams triage) {
        this.triage = triage;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("applicationId", triage.config().getApplicationId());
        HealthStatus status;
        if (triage.startFailure().isPresent()) {
            status = HealthStatus.DOWN;
            details.put("error", triage.startFailure().get().getMessage());
        } else if (triage.streams().isEmpty()) {
            status = HealthStatus.DOWN;
            details.put("state", "NOT_STARTED");
        } else {
            KafkaStreams.State state = triage.streams().get().state();
            details.put("state", state.name());
            details.put("threads", triage.streams().get().metadataForLocalThreads().size());
            triage.ownershipWaitingForRegistrySince().ifPresent(since -> details.put("ownershipUpdates",
                    "waiting for the schema registry since " + since));
            status = state == KafkaStreams.State.RUNNING ? HealthStatus.UP : HealthStatus.DOWN;
        }
        return Publishers.just(HealthResult.builder("triageStreams", status).details(details).build());
    }
}
