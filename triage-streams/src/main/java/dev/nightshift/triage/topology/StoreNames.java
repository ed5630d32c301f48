package dev.nightshift.triage.topology;

/**
 * The names of the topology's state stores, internal topics and processors. They are part of the
 * app's contract with its own state: renaming one loses that state on the next rolling upgrade, so
 * a test pins them.
 */
public final class StoreNames {
    /** Fingerprint -> its latest incident and lifecycle memory. */
    public static final String INCIDENTS = "triage-incidents";
    /** Incident id -> an incident no longer its fingerprint's latest (kept for queries until retention ends). */
    public static final String INCIDENT_ARCHIVE = "triage-incident-archive";
    /** Service -> ownership, the global copy of the compacted ownership topic. */
    public static final String OWNERSHIP = "triage-ownership";
    /** Remediation outcomes re-keyed from incident id to fingerprint (repartition topic name part). */
    public static final String OUTCOMES_BY_FINGERPRINT = "triage-outcomes-by-fingerprint";
    /** Approval decisions re-keyed from approval id to fingerprint (repartition topic name part). */
    public static final String APPROVALS_BY_FINGERPRINT = "triage-approvals-by-fingerprint";
    /** People's responses to incidents re-keyed from incident id to fingerprint (repartition topic name part). */
    public static final String RESPONSES_BY_FINGERPRINT = "triage-responses-by-fingerprint";

    public static final String ALERTS_SOURCE = "alerts-source";
    public static final String OUTCOMES_SOURCE = "outcomes-source";
    public static final String OWNERSHIP_SOURCE = "ownership-source";
    public static final String OWNERSHIP_UPDATER = "ownership-updater";
    public static final String TRIAGE_ALERTS = "triage-alerts";
    public static final String TRIAGE_OUTCOMES = "triage-outcomes";
    public static final String APPROVALS_SOURCE = "approvals-source";
    public static final String TRIAGE_APPROVALS = "triage-approvals";
    public static final String RESPONSES_SOURCE = "responses-source";
    public static final String TRIAGE_RESPONSES = "triage-responses";

    private StoreNames() {
    }
}
