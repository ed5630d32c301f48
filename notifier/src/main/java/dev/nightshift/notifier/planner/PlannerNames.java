package dev.nightshift.notifier.planner;

/**
 * The names of the planner topology's stores, repartition topics and processors: part of the app's contract with its
 * own state (renaming one loses it on the next rolling upgrade), pinned by a test.
 */
public final class PlannerNames {
    /** Incident id -> what came in about it (its family, a silence, records waiting for the incident). */
    public static final String INTAKE = "planner-intake";
    /** Family -> its latest storm group. */
    public static final String GROUPS = "planner-groups";
    /** Thread key -> the thread's incidents, as its parent message lists them. */
    public static final String THREADS = "planner-threads";
    /** Incident id -> its thread, and what the thread's parent last showed of it. */
    public static final String MEMBERSHIPS = "planner-memberships";
    /** Incident id -> where it is told, its approval replies, its escalations and acknowledgement deadline. */
    public static final String INCIDENTS = "planner-incidents";
    /** {@code <due millis, 15 digits>|<incident id>} -> incident id: when an incident next needs the clock. */
    public static final String TIMERS = "planner-timers";
    /** Service -> ownership, a global copy of the ownership topic. */
    public static final String OWNERSHIP = "planner-ownership";
    /** Silence key -> the silence, a global copy of notifications.silences. */
    public static final String SILENCES = "planner-silences";

    public static final String APPROVALS_BY_INCIDENT = "planner-approvals-by-incident";
    public static final String EVENTS_BY_FAMILY = "planner-events-by-family";
    public static final String EVENTS_BY_INCIDENT = "planner-events-by-incident";

    public static final String INCIDENTS_SOURCE = "planner-incidents-source";
    public static final String RUNS_SOURCE = "planner-runs-source";
    public static final String OUTCOMES_SOURCE = "planner-outcomes-source";
    public static final String APPROVALS_SOURCE = "planner-approvals-source";
    public static final String INTAKE_STEP = "planner-intake-step";
    public static final String GROUP_STEP = "planner-group-step";
    public static final String INCIDENT_STEP = "planner-incident-step";

    private PlannerNames() {
    }
}
