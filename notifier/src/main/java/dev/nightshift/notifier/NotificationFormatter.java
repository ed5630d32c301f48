package dev.nightshift.notifier;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.RemediationOutcome;

import java.util.Optional;

/**
 * Turns pipeline records into one line each for a responder. Repeats of an open incident are not
 * worth a message (the count shows on the next change); every other change and every step outcome is.
 */
public final class NotificationFormatter {
    public Optional<String> incident(Incident incident) {
        if ("repeated".equals(incident.getChange())) {
            return Optional.empty();
        }
        StringBuilder line = new StringBuilder()
                .append('[').append(incident.getState()).append("] ")
                .append(incident.getTitle() != null ? incident.getTitle() : incident.getName())
                .append(" (").append(incident.getSeverity()).append(", ").append(incident.getCategory()).append(')')
                .append(" - ").append(incident.getChange())
                .append(", team ").append(incident.getOwner().getTeam());
        if (incident.getResource() != null) {
            line.append(", resource ").append(incident.getResource());
        }
        line.append(", ").append(incident.getOccurrences()).append(incident.getOccurrences() == 1 ? " occurrence" : " occurrences");
        if (incident.getFlapping()) {
            line.append(", flapping: automation held");
        }
        if (incident.getPlaybook() != null) {
            line.append(", playbook ").append(incident.getPlaybook());
        }
        if (incident.getClosedReason() != null) {
            line.append(", closed: ").append(incident.getClosedReason());
        }
        line.append(" [incident ").append(incident.getIncidentId()).append(']');
        return Optional.of(line.toString());
    }

    public String outcome(RemediationOutcome outcome) {
        return "[step " + (outcome.getStepIndex() + 1) + " " + outcome.getAction() + ": " + outcome.getStatus() + "] "
                + outcome.getSummary() + " [incident " + outcome.getIncidentId() + ", playbook " + outcome.getPlaybook() + ']';
    }

    public static String channel(Owner owner) {
        return owner == null ? null : owner.getSlackChannel();
    }
}
