package dev.nightshift.triage.lifecycle;

import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Incident;

import java.util.ArrayList;
import java.util.List;

/**
 * What triage remembers about one fingerprint: its latest incident and what the lifecycle rules
 * need beyond it (recent transitions, the last alert state, whether the playbook was requested,
 * the automated actions seen, whether the closed incident's outcome was published).
 */
public final class FingerprintState {
    Incident incident;
    final List<Long> transitions;
    AlertState lastAlertState;
    boolean outcomeEmitted;
    boolean playbookRequested;
    int automatedActions;
    Long lastSucceededActionAt;
    long lastPublishedAt;
    long lastHandledAt;
    final List<String> countedRequests;

    public FingerprintState() {
        this(null, new ArrayList<>(), null, false, false, 0, null, 0L, 0L, List.of());
    }

    public FingerprintState(Incident incident, List<Long> transitions, AlertState lastAlertState, boolean outcomeEmitted,
                            boolean playbookRequested, int automatedActions, Long lastSucceededActionAt, long lastPublishedAt,
                            long lastHandledAt, List<String> countedRequests) {
        this.lastPublishedAt = lastPublishedAt;
        this.lastHandledAt = lastHandledAt;
        this.countedRequests = new ArrayList<>(countedRequests);
        this.incident = incident;
        this.transitions = new ArrayList<>(transitions);
        this.lastAlertState = lastAlertState;
        this.outcomeEmitted = outcomeEmitted;
        this.playbookRequested = playbookRequested;
        this.automatedActions = automatedActions;
        this.lastSucceededActionAt = lastSucceededActionAt;
    }

    public Incident incident() {
        return incident;
    }

    public List<Long> transitions() {
        return transitions;
    }

    public AlertState lastAlertState() {
        return lastAlertState;
    }

    public boolean outcomeEmitted() {
        return outcomeEmitted;
    }

    public boolean playbookRequested() {
        return playbookRequested;
    }

    public int automatedActions() {
        return automatedActions;
    }

    public Long lastSucceededActionAt() {
        return lastSucceededActionAt;
    }

    /**
     * Wall-clock time when triage last handled an alert of this fingerprint (0: not recorded). The
     * wall-clock punctuator measures silence from it, not from the alerts' own times, so that working
     * through a backlog does not close incidents that later alerts of the backlog keep open.
     */
    public long lastHandledAt() {
        return lastHandledAt;
    }

    /** The request ids of the remediation outcomes already counted for the current incident (a redelivery counts once). */
    public List<String> countedRequests() {
        return countedRequests;
    }

    /** When the incident was last published on {@code incidents} (repeats in between are coalesced). */
    public long lastPublishedAt() {
        return lastPublishedAt;
    }
}
