package dev.nightshift.workers.executor;

import dev.nightshift.schema.RemediationOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The executor's meters, on {@code /prometheus}: {@code nightshift_steps_total{action,mode,status}} counts the
 * outcomes written (once each, when their transaction commits), and {@code nightshift_action_calls_seconds{action,mode,status}}
 * times the calls to actions (the status is the call's: SUCCEEDED, WAITING, FAILED, INTERRUPTED or REFUSED).
 */
public final class StepMetrics {
    private final MeterRegistry registry;

    public StepMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** An outcome is on {@code remediation.outcomes}. */
    void written(RemediationOutcome outcome) {
        Counter.builder("nightshift.steps").description("Step outcomes written, by action, mode and status")
                .tag("action", outcome.getAction()).tag("mode", outcome.getMode()).tag("status", outcome.getStatus().name())
                .register(registry).increment();
    }

    /** A call to an action took {@code took} and ended with {@code status}. */
    void called(String action, String mode, String status, Duration took) {
        Timer.builder("nightshift.action.calls").description("Calls to actions (execute, check, recover, undo)")
                .tag("action", action).tag("mode", mode).tag("status", status)
                .register(registry).record(took);
    }
}
