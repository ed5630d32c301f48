package dev.nightshift.workers.runner;

import dev.nightshift.schema.ActionGuard;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's figures on /prometheus: runs started by playbook, refusals and skips by guardrail,
 * approval wait time by decision, and whether each action's circuit is open. Counted from what the
 * runner publishes, on its stream threads (a task that is retried after a crash may count an event
 * twice; the records themselves are exactly once).
 */
public final class RunnerMetrics {
    /** For tests and tools: counts nothing. */
    public static final RunnerMetrics NONE = new RunnerMetrics(null);

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> circuits = new ConcurrentHashMap<>();

    public RunnerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void runStarted(String playbook) {
        if (registry != null) {
            Counter.builder("nightshift_runs_started").description("Playbook runs started").tag("playbook", playbook)
                    .register(registry).increment();
        }
    }

    void published(List<RunnerOutput> outputs) {
        if (registry == null) {
            return;
        }
        for (RunnerOutput output : outputs) {
            if (output instanceof RunnerOutput.OutcomeRecorded recorded) {
                RemediationOutcome outcome = recorded.outcome();
                if ((outcome.getStatus() == OutcomeStatus.REFUSED || outcome.getStatus() == OutcomeStatus.SKIPPED) && outcome.getGuardrail() != null) {
                    Counter.builder("nightshift_guardrail_refusals").description("Steps refused or skipped, by the guardrail that said no")
                            .tag("guardrail", outcome.getGuardrail()).tag("action", outcome.getAction()).tag("status", outcome.getStatus().name())
                            .register(registry).increment();
                }
            } else if (output instanceof RunnerOutput.ApprovalChanged changed) {
                ApprovalRequest approval = changed.approval();
                if (approval.getStatus() != ApprovalStatus.PENDING && approval.getDecidedAt() != null) {
                    Timer.builder("nightshift_approval_wait").description("Time from an approval request to its decision")
                            .tag("decision", approval.getStatus().name()).register(registry)
                            .record(Duration.between(approval.getRequestedAt(), approval.getDecidedAt()));
                }
            }
        }
    }

    void guard(ActionGuard guard, boolean open) {
        if (registry == null) {
            return;
        }
        circuits.computeIfAbsent(guard.getAction(), action -> {
            AtomicInteger state = new AtomicInteger();
            Gauge.builder("nightshift_circuit_open", state, AtomicInteger::get)
                    .description("1 while the action is switched off (its circuit is open or a person switched it off)")
                    .tag("action", action).register(registry);
            return state;
        }).set(open ? 1 : 0);
    }
}
