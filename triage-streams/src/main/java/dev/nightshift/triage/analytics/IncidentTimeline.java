package dev.nightshift.triage.analytics;

import dev.nightshift.schema.Delivery;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentHistory;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunTransition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timeline of an incident, from its records: every alert and state change (incidents), each playbook run's
 * status changes (playbook.runs), every step's outcome with its plan, approvers, before and after, or its enrichment
 * results (remediation.outcomes), people's acknowledgements and notes (incident.responses) and the notifications sent
 * (notifications.deliveries), in time order; records of the same time in the order they came.
 */
public final class IncidentTimeline {
    /** One thing that happened: when, what kind (alert, state, run, step, enrichment, handover, acknowledgement, note, notification), a line, and its details. */
    public record Entry(Instant at, String kind, String text, Map<String, Object> details) {
    }

    private IncidentTimeline() {
    }

    public static List<Entry> of(IncidentHistory history) {
        List<Entry> entries = new ArrayList<>();
        for (Incident change : history.getChanges()) {
            entries.add(change(change));
        }
        for (RunTransition run : history.getRunTransitions()) {
            entries.add(new Entry(run.getAt(), "run", "playbook " + run.getPlaybook() + " run " + run.getRun() + ": "
                    + run.getStatus() + (run.getReason() == null ? "" : " (" + run.getReason() + ")"), details("playbook", run.getPlaybook(),
                    "run", run.getRun(), "status", run.getStatus().name(), "reason", run.getReason())));
        }
        for (RemediationOutcome step : history.getSteps()) {
            entries.add(step(step));
        }
        for (IncidentResponse response : history.getResponses()) {
            boolean ack = response.getKind() == dev.nightshift.schema.ResponseKind.ACKNOWLEDGED;
            entries.add(new Entry(response.getAt(), ack ? "acknowledgement" : "note",
                    (ack ? "acknowledged by " : "note by ") + response.getBy() + " (" + response.getChannel() + ")"
                            + (response.getNote() == null ? "" : ": " + response.getNote()),
                    details("by", response.getBy(), "channel", response.getChannel(), "note", response.getNote())));
        }
        for (Delivery delivery : history.getDeliveries()) {
            entries.add(new Entry(delivery.getDeliveredAt(), "notification", delivery.getTarget() + " " + delivery.getKind() + " ("
                    + delivery.getEvent() + ") " + delivery.getStatus() + (delivery.getDestination() == null ? "" : " to " + delivery.getDestination()),
                    details("target", delivery.getTarget().name(), "kind", delivery.getKind().name(), "event", delivery.getEvent(),
                            "status", delivery.getStatus().name(), "destination", delivery.getDestination(), "error", delivery.getError())));
        }
        List<Entry> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparing(Entry::at));   // stable: same time, order of arrival
        return ordered;
    }

    private static Entry change(Incident incident) {
        String change = incident.getChange();
        Instant at = switch (change) {
            case "acknowledged" -> incident.getAcknowledgedAt() != null ? incident.getAcknowledgedAt() : incident.getUpdatedAt();
            case "action" -> incident.getFirstActionAt() != null ? incident.getFirstActionAt() : incident.getUpdatedAt();
            case "resolved" -> incident.getResolvedAt() != null ? incident.getResolvedAt() : incident.getUpdatedAt();
            default -> incident.getUpdatedAt();
        };
        boolean alert = switch (change) {
            case "opened", "repeated", "resolved", "reopened" -> true;
            default -> false;
        };
        String text = switch (change) {
            case "opened" -> "alert " + incident.getName() + " fired: incident opened (" + incident.getSeverity() + ", " + incident.getCategory()
                    + ", team " + incident.getOwner().getTeam() + ")";
            case "repeated" -> "alert " + incident.getName() + " fired again (" + incident.getOccurrences() + " times so far)";
            case "resolved" -> "alert " + incident.getName() + " resolved: incident resolved";
            case "reopened" -> "alert " + incident.getName() + " fired again: incident reopened";
            case "acknowledged" -> "incident acknowledged" + (incident.getAcknowledgedBy() == null ? "" : " by " + incident.getAcknowledgedBy());
            case "action" -> "first automated step";
            default -> "incident " + change + (incident.getClosedReason() == null ? "" : " (" + incident.getClosedReason() + ")");
        };
        return new Entry(at, alert ? "alert" : "state", text, details("change", change, "state", incident.getState().name(),
                "alertId", incident.getLastAlertId(), "occurrences", incident.getOccurrences(), "version", incident.getVersion()));
    }

    private static Entry step(RemediationOutcome step) {
        String kind = switch (step.getStatus()) {
            case HANDED_OVER -> "handover";
            default -> !step.getResults().isEmpty() && step.getBefore().isEmpty() && step.getAfter().isEmpty() ? "enrichment" : "step";
        };
        String name = step.getStepName().isEmpty() ? step.getAction() : step.getStepName();
        return new Entry(step.getFinishedAt(), kind, "step " + (step.getStepIndex() + 1) + " " + name + " (" + step.getAction() + "): "
                + step.getStatus() + (step.getDryRun() ? " [dry run]" : "") + " - " + step.getSummary(),
                details("step", step.getStepIndex() + 1, "name", name, "action", step.getAction(), "status", step.getStatus().name(),
                        "dryRun", step.getDryRun(), "plan", step.getPlan(), "approvedBy", step.getApprovedBy(),
                        "before", step.getBefore(), "after", step.getAfter(), "results", step.getResults(), "guardrail", step.getGuardrail(),
                        "instructions", step.getInstructions(), "error", step.getError(), "requestId", step.getRequestId()));
    }

    /** Details without the empty ones. */
    private static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            if (value != null && !(value instanceof Map<?, ?> m && m.isEmpty()) && !(value instanceof List<?> l && l.isEmpty())) {
                details.put((String) keyValues[i], value);
            }
        }
        return details;
    }
}
