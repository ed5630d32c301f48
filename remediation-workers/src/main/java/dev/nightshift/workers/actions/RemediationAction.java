package dev.nightshift.workers.actions;

import java.util.Optional;

/**
 * One reusable remediation action over AWS SDK v2, shared by every playbook that names it. It says
 * what it would do from the step alone ({@link #plan}, no outside call: dry-run and approval requests
 * show it), does it ({@link #execute}), and, where the action has them, looks again at a step that
 * answered WAITING ({@link #check}), proves from the resource's own state what an interrupted step
 * did ({@link #recover}) and takes a change back ({@link #undo}). Every method throws
 * {@link Step.InvalidStepException} for inputs that cannot work (never retried), and any other
 * exception for a failure; messages carry no secret.
 */
public interface RemediationAction {
    /** Its name, parameters and kind: what playbooks and {@code ./pipeline check} know of it. */
    ActionSpec spec();

    /** The name playbooks use, and the suffix of its topic {@code actions.<name>}. */
    default String name() {
        return spec().name();
    }

    /** What {@link #execute} would do, in one sentence, from the step's inputs alone (no outside call). */
    String plan(Step step);

    /**
     * Does the step: for a CHANGE action, makes the change (with the step's request id as the idempotency
     * token where the API takes one); for a READ action, reads. May answer WAITING with when to look again.
     */
    ActionResult execute(Step step) throws Exception;

    /** Looks again, read only, at a step that answered WAITING (the step carries its earlier results). */
    default ActionResult check(Step step) throws Exception {
        throw new UnsupportedOperationException(name() + " never waits");
    }

    /**
     * After a step was interrupted (it may have started, no outcome was recorded): what the resource's own state
     * proves it did, or empty when it cannot tell (then the step is reported INTERRUPTED and not run again).
     */
    default Optional<ActionResult> recover(Step step) throws Exception {
        return Optional.empty();
    }

    /** Takes back what a finished step changed (the step carries that step's outcome: its before state and results). */
    default ActionResult undo(Step step) throws Exception {
        throw new UnsupportedOperationException(name() + " cannot be undone");
    }
}
