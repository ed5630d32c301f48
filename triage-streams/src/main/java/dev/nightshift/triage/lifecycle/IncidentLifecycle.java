package dev.nightshift.triage.lifecycle;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.FingerprintState;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Severity;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.ResponseKind;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.triage.classify.Classification;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The incident lifecycle of one fingerprint, as pure functions of its state, the input and the
 * time (architecture.md, "Incident semantics"):
 * <ul>
 *   <li>a firing alert with no open incident opens one; a repeat updates the count and last-seen
 *   time; a resolved alert resolves the open incident;</li>
 *   <li>firing again within the reopen window after a resolve reopens the same incident;</li>
 *   <li>{@code flapTransitions} state changes within {@code flapWindow} mark the incident flapping
 *   (the remediation runner holds its playbook until it settles);</li>
 *   <li>the first acknowledgement of an open incident (a person's acknowledgement on {@code incident.responses}, or
 *   their answer to an approval request when none came before) makes it ACKNOWLEDGED, saying when and by whom;</li>
 *   <li>an open incident with no alert for {@code expireAfter} expires (wall-clock);</li>
 *   <li>a closed incident yields one {@link IncidentOutcome}, once it can no longer reopen;</li>
 *   <li>repeats are published on {@code incidents} at most once per {@code repeatPublishInterval}
 *   (every state change at once); every alert is routed to its team.</li>
 * </ul>
 * Alerts in NO_DATA or UNKNOWN state change nothing.
 * <p>
 * The clocks. An incident is dated by its alerts' own times ({@link Alert#getOccurredAt()}, the
 * source's state-change time): opened, last seen and resolved, so MTTR is right for alerts that
 * arrive late or are replayed. The reopen window (a firing alert this soon after the resolve), the
 * flapping window and the repeat publishing interval are measured on the same alert clock. An alert
 * whose state differs from the last one but which is older than the last state change arrived out of
 * order and changes nothing. Expiry and the end of the reopen window (when the outcome becomes final)
 * are measured on the wall clock from when triage last applied an alert, because only the passing of
 * real time can show that nothing more is coming; working through a backlog therefore never expires
 * the incidents that later alerts of the backlog keep open.
 */
public final class IncidentLifecycle {
    public static final String OPENED = "opened";
    public static final String REPEATED = "repeated";
    public static final String RESOLVED = "resolved";
    public static final String REOPENED = "reopened";
    public static final String FLAPPING = "flapping";
    public static final String EXPIRED = "expired";
    public static final String ACTION = "action";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String RESOLVED_AT_SOURCE = "resolved at source";

    private final LifecycleSettings settings;

    public LifecycleSettings settings() {
        return settings;
    }

    public IncidentLifecycle(LifecycleSettings settings) {
        this.settings = settings;
    }

    /** The new state of the fingerprint and what to publish. */
    public record Result(FingerprintState state, List<TriageOutput> outputs, boolean changed) {
        static Result unchanged(FingerprintState state) {
            return new Result(state, List.of(), false);
        }
    }

    /** A fingerprint's state before its first alert. */
    public static FingerprintState newState() {
        return FingerprintState.newBuilder().build();
    }

    /**
     * Applies an alert, dated by its own time ({@code occurredAt}); {@code handledAt} is the wall-clock
     * time of applying it, from which the punctuator measures silence.
     */
    public Result onAlert(FingerprintState current, Alert alert, Classification classification, Owner owner, long handledAt) {
        FingerprintState state = current == null ? newState() : current;
        AlertState alertState = alert.getState();
        if (alertState != AlertState.FIRING && alertState != AlertState.RESOLVED) {
            return Result.unchanged(state);
        }
        long now = ms(alert.getOccurredAt());
        boolean transition = state.getLastAlertState() != null && state.getLastAlertState() != alertState;
        if (transition && now < state.getLastStateChangeAt()) {
            return Result.unchanged(state);   // out of order: an older alert of the state before the last change
        }
        List<TriageOutput> outputs = new ArrayList<>();
        List<Long> transitions = new ArrayList<>(state.getTransitions());
        if (transition) {
            transitions.add(now);
        }
        long flapHorizon = now - settings.flapWindow().toMillis();
        transitions.removeIf(t -> t < flapHorizon);
        // Only the newest flapTransitions can decide: there are that many in the window exactly when the newest
        // that many are. Keeping no more bounds the state of an alert that flaps for hours.
        while (transitions.size() > settings.flapTransitions()) {
            transitions.remove(transitions.indexOf(Collections.min(transitions)));
        }
        state.setTransitions(transitions);
        if (state.getLastAlertState() != alertState) {
            state.setLastStateChangeAt(now);
        }
        state.setLastAlertState(alertState);
        boolean flapping = transitions.size() >= settings.flapTransitions();

        Incident previous = state.getIncident();
        Incident incident;
        String change;
        if (alertState == AlertState.FIRING) {
            if (isOpen(previous)) {
                change = REPEATED;
                incident = copyOf(previous);
                incident.setOccurrences(previous.getOccurrences() + 1);
            } else if (canReopen(state, now)) {
                change = REOPENED;
                incident = copyOf(previous);
                incident.setState(IncidentState.OPEN);
                incident.setOccurrences(previous.getOccurrences() + 1);
                incident.setReopenCount(previous.getReopenCount() + 1);
                incident.setResolvedAt(null);
                incident.setClosedReason(null);
            } else {
                if (previous != null && previous.getState() == IncidentState.RESOLVED && !state.getOutcomeEmitted()) {
                    outputs.add(new TriageOutput.Closed(outcome(previous, state, ms(previous.getResolvedAt()))));
                }
                change = OPENED;
                incident = newIncident(alert, now, previous == null ? null : previous.getIncidentId()).build();
                state.setOutcomeEmitted(false);
                state.setAutomatedActions(0);
                state.setCountedRequests(new ArrayList<>());
                state.setLastSucceededActionAt(null);
            }
        } else {
            if (!isOpen(previous)) {
                return new Result(state, List.of(), true);
            }
            change = RESOLVED;
            incident = copyOf(previous);
            incident.setState(IncidentState.RESOLVED);
            incident.setResolvedAt(at(now));
            incident.setClosedReason(RESOLVED_AT_SOURCE);
        }
        // An incident opened while its fingerprint flaps is an opening all the same (version 1), marked flapping.
        boolean opened = OPENED.equals(change);
        if (transition && !opened) {
            incident.setTransitions(incident.getTransitions() + 1);
        }
        boolean wasFlapping = !opened && previous != null && previous.getFlapping();
        if (flapping && !wasFlapping && !opened && !RESOLVED.equals(change)) {
            change = FLAPPING;
        }
        // A later alert of the same incident (a resolve above all) often carries no severity, category
        // or playbook of its own: the incident keeps what it had rather than being downgraded.
        boolean continuing = !opened && previous != null;
        Severity severity = continuing && classification.severity() == Severity.UNKNOWN
                ? previous.getSeverity() : classification.severity();
        String category = continuing && Classification.UNCLASSIFIED.equals(classification.category())
                ? previous.getCategory() : classification.category();
        String playbook = continuing && classification.playbook() == null ? previous.getPlaybook() : classification.playbook();
        incident.setFlapping(flapping);
        incident.setChange(change);
        incident.setName(alert.getName());
        if (alert.getTitle() != null) {
            incident.setTitle(alert.getTitle());
        }
        incident.setSource(alert.getSource());
        incident.setSeverity(severity);
        incident.setCategory(category);
        incident.setOwner(owner);
        if (alert.getResource() != null) {
            incident.setResource(alert.getResource());
        }
        incident.setPlaybook(playbook);
        incident.setLabels(alert.getLabels());
        incident.setAccount(alert.getAccount());
        incident.setRegion(alert.getRegion());
        incident.setMetricNamespace(alert.getMetricNamespace());
        incident.setMetricName(alert.getMetricName());
        incident.setLastAlertId(alert.getAlertId());
        // An alert that arrives late never moves the incident's last-seen time back.
        long lastSeen = continuing ? Math.max(now, ms(previous.getLastSeenAt())) : now;
        incident.setLastSeenAt(at(lastSeen));
        incident.setUpdatedAt(at(lastSeen));
        boolean coalesced = REPEATED.equals(change) && !settings.repeatPublishInterval().isZero()
                && now - state.getLastPublishedAt() < settings.repeatPublishInterval().toMillis()
                && flapping == previous.getFlapping() && category.equals(previous.getCategory())
                && owner.equals(previous.getOwner()) && severity == previous.getSeverity()
                && java.util.Objects.equals(playbook, previous.getPlaybook());
        incident.setVersion(opened ? 1 : coalesced ? previous.getVersion() : previous.getVersion() + 1);
        Incident updated = incident;
        state.setIncident(updated);
        // Only an alert that changed the incident moves the clock the punctuator measures silence and the end of
        // the reopen window from: a resolve sent again for a resolved incident does not put its outcome off.
        state.setLastHandledAt(handledAt);
        if (!coalesced) {
            outputs.add(new TriageOutput.IncidentChanged(updated));
            state.setLastPublishedAt(now);
        }
        outputs.add(new TriageOutput.Routed(triaged(updated, alert, now)));
        if (updated.getState() == IncidentState.RESOLVED && settings.reopenWindow().isZero()) {
            outputs.add(new TriageOutput.Closed(outcome(updated, state, now)));
            state.setOutcomeEmitted(true);
        }
        return new Result(state, outputs, true);
    }

    /** How many remediation request ids an incident remembers to count each outcome once. */
    static final int MAX_COUNTED_REQUESTS = 64;

    /** Records an automated step's outcome on its incident (time of the first action, count, success). */
    public Result onOutcome(FingerprintState state, RemediationOutcome outcome, long now) {
        if (!isCurrent(state, outcome.getIncidentId()) || state.getOutcomeEmitted()) {
            return Result.unchanged(state);
        }
        OutcomeStatus status = outcome.getStatus();
        if (status != OutcomeStatus.SUCCEEDED && status != OutcomeStatus.FAILED) {
            return Result.unchanged(state);
        }
        if (state.getCountedRequests().contains(outcome.getRequestId())) {
            return Result.unchanged(state);
        }
        List<String> counted = new ArrayList<>(state.getCountedRequests());
        counted.add(outcome.getRequestId());
        if (counted.size() > MAX_COUNTED_REQUESTS) {
            counted.remove(0);
        }
        state.setCountedRequests(counted);
        state.setAutomatedActions(state.getAutomatedActions() + 1);
        if (status == OutcomeStatus.SUCCEEDED && !outcome.getDryRun()) {
            state.setLastSucceededActionAt(ms(outcome.getFinishedAt()));
        }
        Incident incident = state.getIncident();
        if (incident.getFirstActionAt() != null) {
            return new Result(state, List.of(), true);
        }
        Incident updated = Incident.newBuilder(incident).setFirstActionAt(outcome.getStartedAt()).setChange(ACTION)
                .setVersion(incident.getVersion() + 1).setUpdatedAt(at(now)).build();
        state.setIncident(updated);
        return new Result(state, List.of(new TriageOutput.IncidentChanged(updated)), true);
    }

    /**
     * A person's answer to an approval request of the incident's playbook acknowledges it when nobody has before
     * (see {@link #acknowledge}).
     */
    public Result onApproval(FingerprintState state, ApprovalDecision decision, long now) {
        return acknowledge(state, decision.getIncidentId(), decision.getDecidedAt(), decision.getDecidedBy(), now);
    }

    /** A person's response to the incident ({@code incident.responses}): an acknowledgement acknowledges it (see {@link #acknowledge}). */
    public Result onResponse(FingerprintState state, IncidentResponse response, long now) {
        if (response.getKind() != ResponseKind.ACKNOWLEDGED) {
            return Result.unchanged(state);
        }
        return acknowledge(state, response.getIncidentId(), response.getAt(), response.getBy(), now);
    }

    /**
     * The first acknowledgement of an open incident, by whichever way it came (an acknowledgement, or an answer to an
     * approval request), is its acknowledgement: the incident becomes ACKNOWLEDGED, with when ({@code acknowledgedAt},
     * MTTA = acknowledged - opened) and by whom ({@code acknowledgedBy}), and it can no longer count as resolved by
     * automation alone. Later ones change nothing; so does one for an incident that is closed or not the latest.
     */
    private Result acknowledge(FingerprintState state, String incidentId, Instant at, String by, long now) {
        if (!isCurrent(state, incidentId) || !isOpen(state.getIncident()) || state.getIncident().getAcknowledgedAt() != null) {
            return Result.unchanged(state);
        }
        Incident incident = state.getIncident();
        Incident updated = Incident.newBuilder(incident).setState(IncidentState.ACKNOWLEDGED)
                .setAcknowledgedAt(at).setAcknowledgedBy(by).setChange(ACKNOWLEDGED)
                .setVersion(incident.getVersion() + 1).setUpdatedAt(at(now)).build();
        state.setIncident(updated);
        return new Result(state, List.of(new TriageOutput.IncidentChanged(updated)), true);
    }

    /** Whether the state holds the incident of this id as its latest. */
    private static boolean isCurrent(FingerprintState state, String incidentId) {
        return state != null && state.getIncident() != null && state.getIncident().getIncidentId().equals(incidentId);
    }

    /** What the passing of (wall-clock) time does: expiry, the end of the reopen window. */
    public Result onTick(FingerprintState state, long now) {
        Incident incident = state.getIncident();
        if (incident == null) {
            return Result.unchanged(state);
        }
        // Silence is measured on the wall clock from when an alert last changed the incident.
        long handled = state.getLastHandledAt();
        if (isOpen(incident) && now - handled >= settings.expireAfter().toMillis()) {
            Incident expired = Incident.newBuilder(incident).setState(IncidentState.EXPIRED).setChange(EXPIRED)
                    .setClosedReason("expired: no alert for " + settings.expireAfter())
                    .setVersion(incident.getVersion() + 1).setUpdatedAt(at(now)).build();
            state.setIncident(expired);
            state.setOutcomeEmitted(true);
            return new Result(state, List.of(new TriageOutput.IncidentChanged(expired),
                    new TriageOutput.Closed(outcome(expired, state, now))), true);
        }
        if (incident.getState() == IncidentState.RESOLVED && !state.getOutcomeEmitted()
                && now - handled >= settings.reopenWindow().toMillis()) {
            state.setOutcomeEmitted(true);
            return new Result(state, List.of(new TriageOutput.Closed(outcome(incident, state, ms(incident.getResolvedAt())))), true);
        }
        return Result.unchanged(state);
    }

    /** Whether the state of a closed fingerprint has outlived its retention (wall clock) and can be forgotten. */
    public boolean forgettable(FingerprintState state, long now) {
        Incident incident = state.getIncident();
        if (incident == null || isOpen(incident) || !state.getOutcomeEmitted()) {
            return incident == null;
        }
        return now - Math.max(state.getLastHandledAt(), ms(incident.getUpdatedAt())) >= settings.stateRetention().toMillis();
    }

    public static boolean isOpen(Incident incident) {
        return incident != null && (incident.getState() == IncidentState.OPEN || incident.getState() == IncidentState.ACKNOWLEDGED);
    }

    private boolean canReopen(FingerprintState state, long now) {
        Incident previous = state.getIncident();
        return previous != null && previous.getState() == IncidentState.RESOLVED && !state.getOutcomeEmitted()
                && previous.getResolvedAt() != null && now - ms(previous.getResolvedAt()) < settings.reopenWindow().toMillis();
    }

    private static Incident.Builder newIncident(Alert alert, long now, String previousId) {
        return Incident.newBuilder()
                .setIncidentId(IncidentIds.next(alert.getFingerprint(), now, previousId))
                .setFingerprint(alert.getFingerprint())
                .setState(IncidentState.OPEN)
                .setSource(alert.getSource())
                .setName(alert.getName())
                .setOwner(new Owner("unowned", null, null, null, null))
                .setOccurrences(1)
                .setTransitions(0)
                .setReopenCount(0)
                .setLastAlertId(alert.getAlertId())
                .setChange(OPENED)
                .setOpenedAt(at(now))
                .setLastSeenAt(at(now))
                .setUpdatedAt(at(now));
    }

    /** Alert annotations that carry a link worth putting on the team record, in the order they are listed. */
    private static final List<String> LINK_ANNOTATIONS = List.of("runbook_url", "runbook", "dashboard_url", "dashboard");

    /** The links a team record carries for an alert: its own link, then those of its link annotations, each once. */
    public static List<String> links(Alert alert) {
        List<String> links = new ArrayList<>(2);
        if (alert.getLink() != null) {
            links.add(alert.getLink());
        }
        Map<String, String> annotations = alert.getAnnotations();
        if (!annotations.isEmpty()) {
            for (String key : LINK_ANNOTATIONS) {
                String link = annotations.get(key);
                if (link != null && !links.contains(link)) {
                    links.add(link);
                }
            }
        }
        return links;
    }

    /** The team record of an alert, built field by field (the generated builder validates and copies on every alert). */
    private static TriagedAlert triaged(Incident incident, Alert alert, long now) {
        List<String> links = links(alert);
        TriagedAlert triaged = new TriagedAlert();
        triaged.setIncidentId(incident.getIncidentId());
        triaged.setIncidentState(incident.getState());
        triaged.setChange(incident.getChange());
        triaged.setOccurrences(incident.getOccurrences());
        triaged.setCategory(incident.getCategory());
        triaged.setSeverity(incident.getSeverity());
        triaged.setOwner(incident.getOwner());
        triaged.setPlaybook(incident.getPlaybook());
        triaged.setFlapping(incident.getFlapping());
        triaged.setLinks(links);
        triaged.setAlert(alert);
        triaged.setTriagedAt(at(now));
        return triaged;
    }

    /**
     * A shallow copy to change: cheaper than a builder's deep copy on the per-alert path. The fields it
     * shares with the source are immutable values (strings, instants, enums) or are replaced, never changed.
     */
    static Incident copyOf(Incident source) {
        Incident copy = new Incident();
        int fields = Incident.getClassSchema().getFields().size();
        for (int i = 0; i < fields; i++) {
            copy.put(i, source.get(i));
        }
        return copy;
    }

    static IncidentOutcome outcome(Incident incident, FingerprintState state, long closedAt) {
        boolean resolved = incident.getState() == IncidentState.RESOLVED;
        Long resolvedAt = incident.getResolvedAt() == null ? null : ms(incident.getResolvedAt());
        long openedAt = ms(incident.getOpenedAt());
        Long lastSucceeded = state.getLastSucceededActionAt();
        boolean byAutomation = resolved && incident.getAcknowledgedAt() == null && lastSucceeded != null
                && resolvedAt != null && lastSucceeded <= resolvedAt;
        return IncidentOutcome.newBuilder()
                .setIncidentId(incident.getIncidentId())
                .setFingerprint(incident.getFingerprint())
                .setSource(incident.getSource())
                .setName(incident.getName())
                .setCategory(incident.getCategory())
                .setSeverity(incident.getSeverity())
                .setOwner(incident.getOwner())
                .setPlaybook(incident.getPlaybook())
                .setFinalState(incident.getState())
                .setClosedReason(incident.getClosedReason() == null ? incident.getState().name().toLowerCase(java.util.Locale.ROOT)
                        : incident.getClosedReason())
                .setOccurrences(incident.getOccurrences())
                .setReopenCount(incident.getReopenCount())
                .setAutomatedActions(state.getAutomatedActions())
                .setResolvedByAutomation(byAutomation)
                .setOpenedAt(incident.getOpenedAt())
                .setAcknowledgedAt(incident.getAcknowledgedAt())
                .setFirstActionAt(incident.getFirstActionAt())
                .setClosedAt(at(resolved && resolvedAt != null ? resolvedAt : closedAt))
                .setTimeToResolveMillis(resolved && resolvedAt != null ? resolvedAt - openedAt : null)
                .setTimeToAcknowledgeMillis(incident.getAcknowledgedAt() == null ? null : ms(incident.getAcknowledgedAt()) - openedAt)
                .setTimeToFirstActionMillis(incident.getFirstActionAt() == null ? null : ms(incident.getFirstActionAt()) - openedAt)
                .build();
    }

    static long ms(Instant instant) {
        return instant.toEpochMilli();
    }

    static Instant at(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
