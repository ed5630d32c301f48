package dev.nightshift.triage.analytics;

import dev.nightshift.schema.Delivery;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentHistory;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunTransition;
import org.apache.avro.specific.SpecificRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Gathers the records the pipeline writes about one incident into its {@link IncidentHistory}: each record once
 * (a redelivered record changes nothing), in the order they came, within fixed bounds so that a long-lived,
 * noisy incident cannot grow its history without end.
 */
public final class IncidentHistories {
    /** Repeats (change {@code repeated}) kept for the timeline; the rest are counted in repeatsLeftOut. */
    public static final int MAX_REPEATS = 50;
    /** Step outcomes, responses and deliveries kept each; later ones are dropped. */
    public static final int MAX_EVENTS = 500;

    private IncidentHistories() {
    }

    public static IncidentHistory empty(String incidentId, long nowMillis) {
        return IncidentHistory.newBuilder().setIncidentId(incidentId).setFirstSeenAt(Instant.ofEpochMilli(nowMillis)).build();
    }

    /** The incident a record is about, or null for a record that names none. */
    public static String incidentIdOf(SpecificRecord record) {
        if (record instanceof Incident i) {
            return i.getIncidentId();
        } else if (record instanceof IncidentOutcome o) {
            return o.getIncidentId();
        } else if (record instanceof PlaybookRun r) {
            return r.getIncidentId();
        } else if (record instanceof RemediationOutcome s) {
            return s.getIncidentId();
        } else if (record instanceof IncidentResponse r) {
            return r.getIncidentId();
        } else if (record instanceof Delivery d) {
            return d.getIncidentId();
        }
        return null;
    }

    /**
     * The history with {@code record} added; the same object when the record adds nothing (a record seen before,
     * or one kind's bound reached).
     */
    public static IncidentHistory with(IncidentHistory history, SpecificRecord record) {
        IncidentHistory next = IncidentHistory.newBuilder(history).build();
        boolean changed = false;
        if (record instanceof Incident incident) {
            changed = addChange(next, incident);
        } else if (record instanceof IncidentOutcome outcome) {
            changed = !outcome.equals(next.getOutcome());
            next.setOutcome(outcome);
        } else if (record instanceof PlaybookRun run) {
            changed = addRun(next, run);
        } else if (record instanceof RemediationOutcome step) {
            changed = next.getSteps().size() < MAX_EVENTS
                    && next.getSteps().stream().noneMatch(s -> s.getRequestId().equals(step.getRequestId()) && s.getStatus() == step.getStatus())
                    && add(next.getSteps(), step, next::setSteps);
        } else if (record instanceof IncidentResponse response) {
            changed = next.getResponses().size() < MAX_EVENTS && !next.getResponses().contains(response)
                    && add(next.getResponses(), response, next::setResponses);
        } else if (record instanceof Delivery delivery) {
            changed = next.getDeliveries().size() < MAX_EVENTS
                    && next.getDeliveries().stream().noneMatch(d -> d.getNotificationId().equals(delivery.getNotificationId())
                    && d.getStatus() == delivery.getStatus())
                    && add(next.getDeliveries(), delivery, next::setDeliveries);
        }
        return changed ? next : history;
    }

    private static boolean addChange(IncidentHistory history, Incident incident) {
        if (history.getChanges().stream().anyMatch(c -> c.getVersion() == incident.getVersion()
                && Objects.equals(c.getChange(), incident.getChange()))) {
            return false;
        }
        if ("repeated".equals(incident.getChange())
                && history.getChanges().stream().filter(c -> "repeated".equals(c.getChange())).count() >= MAX_REPEATS) {
            history.setRepeatsLeftOut(history.getRepeatsLeftOut() + 1);
            return true;
        }
        return add(history.getChanges(), incident, history::setChanges);
    }

    private static boolean addRun(IncidentHistory history, PlaybookRun run) {
        List<PlaybookRun> latest = new ArrayList<>(history.getLatestRuns());
        latest.removeIf(r -> r.getRun() == run.getRun() && r.getVersion() <= run.getVersion());
        if (latest.stream().anyMatch(r -> r.getRun() == run.getRun())) {
            return false;   // an older record of a run whose newer one is already here
        }
        latest.add(run);
        latest.sort((a, b) -> Integer.compare(a.getRun(), b.getRun()));
        history.setLatestRuns(latest);
        if (history.getRunTransitions().stream().noneMatch(t -> t.getRun() == run.getRun() && t.getStatus() == run.getStatus())) {
            add(history.getRunTransitions(), RunTransition.newBuilder().setRun(run.getRun()).setPlaybook(run.getPlaybook())
                    .setStatus(run.getStatus()).setReason(run.getReason()).setAt(run.getUpdatedAt()).build(), history::setRunTransitions);
        }
        return true;
    }

    private static <T> boolean add(List<T> list, T item, java.util.function.Consumer<List<T>> set) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        set.accept(copy);
        return true;
    }

    /** When the incident opened (the alert's own time), or null when no record said yet. */
    public static Instant openedAt(IncidentHistory history) {
        if (history.getOutcome() != null) {
            return history.getOutcome().getOpenedAt();
        }
        return history.getChanges().isEmpty() ? null : history.getChanges().get(0).getOpenedAt();
    }

    /** Whether the history has been kept for {@code retention}: counted from the opening, else from when it was first seen. */
    public static boolean pastRetention(IncidentHistory history, long nowMillis, Duration retention) {
        Instant opened = openedAt(history);
        Instant from = opened != null ? opened : history.getFirstSeenAt();
        return nowMillis - from.toEpochMilli() > retention.toMillis();
    }

    /** The incident as of its latest record, or null when none came. */
    public static Incident latest(IncidentHistory history) {
        return history.getChanges().stream().max((a, b) -> Long.compare(a.getVersion(), b.getVersion())).orElse(null);
    }
}
