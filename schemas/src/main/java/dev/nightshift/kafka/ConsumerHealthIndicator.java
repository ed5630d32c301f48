package dev.nightshift.kafka;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A consumer service's readiness, for its {@code /health} and {@code /health/readiness}: UP only while its
 * {@link ConsumerLoop} (a {@link RecordLoop}, or a loop of its own) is doing its work (it polls, and has joined its group and received its assignment,
 * an empty one too); DOWN before that, while its partitions are revoked or lost without a new assignment,
 * and after the loop stopped or died. DOWN makes the endpoint answer 503.
 * <p>
 * Micronaut is not a dependency of this module: a service that runs a loop declares the indicator as a bean,
 * qualified {@code @Readiness}, from its factory.
 */
public final class ConsumerHealthIndicator implements HealthIndicator {
    private final ConsumerLoop loop;

    public ConsumerHealthIndicator(ConsumerLoop loop) {
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
        return Publishers.just(HealthResult.builder(loop.name(), ready ? HealthStatus.UP : HealthStatus.DOWN).details(details).build());
    }
}
