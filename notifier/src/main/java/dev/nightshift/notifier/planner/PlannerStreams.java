package dev.nightshift.notifier.planner;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The planner inside the notifier service: its Streams app starts when the application has started and closes,
 * leaving its group, on shutdown. A start that fails (the cluster unreachable, partition counts that differ) is
 * kept for the readiness check to show.
 */
public class PlannerStreams implements ApplicationEventListener<ApplicationStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(PlannerStreams.class);
    private final PlannerRuntime runtime;
    private volatile Throwable startFailure;

    public PlannerStreams(PlannerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        try {
            runtime.start();
        } catch (RuntimeException e) {
            startFailure = e;
            LOG.error("the notifier's planner could not start: {}", e.getMessage(), e);
        }
    }

    public Optional<KafkaStreams> streams() {
        return Optional.ofNullable(runtime.streams());
    }

    public Optional<Throwable> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    /** Closes the Streams app, leaving its group (the factory calls it on shutdown). */
    public void close() {
        runtime.close();
    }
}
