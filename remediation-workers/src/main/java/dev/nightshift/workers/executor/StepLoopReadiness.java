package dev.nightshift.workers.executor;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The workers' readiness, for {@code /health} and {@code /health/readiness}: UP only while the {@link StepLoop} is doing
 * its work (it polls, and has joined its group and received its assignment, an empty one too); DOWN (503) before that,
 * while its partitions are revoked or lost without a new assignment, and after the loop stopped or died. The same rule
 * as the other services' {@code ConsumerHealthIndicator}, for a loop of its own.
 */
public final class StepLoopReadiness implements HealthIndicator {
    private final StepLoop loop;

    public StepLoopReadiness(StepLoop loop) {
        this.loop = loop;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean ready = loop.ready();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("polling", loop.healthy());
        details.put("assigned", ready);
        details.put("partitions", loop.assignedPartitions());
        details.put("waitingPartitions", loop.waitingPartitions());
        details.put("waitingOutcomes", loop.waitingOutcomes());
        return Publishers.just(HealthResult.builder(loop.name(), ready ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }
}
