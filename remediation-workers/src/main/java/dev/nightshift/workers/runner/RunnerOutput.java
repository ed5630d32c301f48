package dev.nightshift.workers.runner;

import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;

/** A record the runner publishes, each to its own topic. */
public sealed interface RunnerOutput {
    /** The run after a transition, for {@code playbook.runs} (key: incident id). */
    record RunChanged(PlaybookRun run) implements RunnerOutput {
    }

    /** An approval request as it stands, for {@code approvals.requests} (key: approval id). */
    record ApprovalChanged(ApprovalRequest approval) implements RunnerOutput {
    }

    /** An outcome the runner decides itself (a refusal, a skip, a hand-over, a timeout), for {@code remediation.outcomes}. */
    record OutcomeRecorded(RemediationOutcome outcome) implements RunnerOutput {
    }

    /** A step for its action's workers, for {@code actions.<action>} (key: incident id). */
    record StepRequested(RemediationRequest request) implements RunnerOutput {
    }

    /** A live change step for the guard of its action (blast radius, circuit breaker), re-keyed by action. */
    record StepProposed(RemediationRequest request) implements RunnerOutput {
    }
}
