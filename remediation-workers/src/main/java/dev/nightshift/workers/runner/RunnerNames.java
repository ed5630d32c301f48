package dev.nightshift.workers.runner;

/**
 * The names of the runner topology's stores, repartition topics and processors: part of the app's
 * contract with its own state (renaming one loses it on the next rolling upgrade), pinned by a test.
 */
public final class RunnerNames {
    /** Incident id -> its runner state (the incident, its latest run, the run's pending approval). */
    public static final String RUNS = "runner-runs";
    /** Action -> its guard's counts (blast radius, circuit breaker). */
    public static final String GUARDS = "runner-guards";
    /** Service -> ownership (approvers, environment), a global copy of the ownership topic. */
    public static final String OWNERSHIP = "runner-ownership";
    /** Scope -> the latest switch a person set (pauses, actions on or off), a global copy of automation.control. */
    public static final String CONTROLS = "runner-controls";
    public static final String DECISIONS_BY_INCIDENT = "runner-decisions-by-incident";
    public static final String PROPOSALS_BY_ACTION = "runner-proposals-by-action";
    public static final String OUTCOMES_BY_ACTION = "runner-outcomes-by-action";

    public static final String INCIDENTS_SOURCE = "runner-incidents-source";
    public static final String OUTCOMES_SOURCE = "runner-outcomes-source";
    public static final String DECISIONS_SOURCE = "runner-decisions-source";
    public static final String COMMANDS_SOURCE = "runner-commands-source";
    public static final String RUN_STEP = "runner-run-step";
    public static final String GUARD_STEP = "runner-guard-step";

    private RunnerNames() {
    }
}
