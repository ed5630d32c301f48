package dev.nightshift.notifier;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.RemediationOutcome;

import java.util.Optional;

import static dev.nightshift.notifier.slack.SlackText.escape;

/**
 * Turns pipeline records into one Slack line each for a responder. Repeats of an open incident are not
 * worth a message (the count shows on the next change); every other change and every step outcome is.
 * Every value taken from a record is escaped: alert text comes from outside and must not become Slack markup
 * (a mention, a disguised link); only the formatter's own text may.
 */
public final class NotificationFormatter {
    public Optional<String> incident(Incident incident) {
        if ("repeated".equals(incident.getChange())) {
            return Optional.empty();
        }
        StringBuilder line = new StringBuilder()
                .append('[').append(incident.getState()).append("] ")
                .append(escape(incident.getTitle() != null ? incident.getTitle() : incident.getName()))
                .append(" (").append(incident.getSeverity()).append(", ").append(escape(incident.getCategory())).append(')')
                .append(" - ").append(escape(incident.getChange()))
                .append(", team ").append(escape(incident.getOwner().getTeam()));
        if (incident.getResource() != null) {
            line.append(", resource ").append(escape(incident.getResource()));
        }
        line.append(", ").append(incident.getOccurrences()).append(incident.getOccurrences() == 1 ? " occurrence" : " occurrences");
        if (incident.getFlapping()) {
            line.append(", flapping: automation held");
        }
        if (incident.getPlaybook() != null) {
            line.append(", playbook ").append(escape(incident.getPlaybook()));
        }
        if (incident.getClosedReason() != null) {
            line.append(", closed: ").append(escape(incident.getClosedReason()));
        }
        line.append(" [incident ").append(escape(incident.getIncidentId())).append(']');
        return Optional.of(line.toString());
    }

    public String outcome(RemediationOutcome outcome) {
        return "[step " + (outcome.getStepIndex() + 1) + " " + escape(outcome.getAction()) + ": " + outcome.getStatus() + "] "
                + escape(outcome.getSummary()) + " [incident " + escape(outcome.getIncidentId())
                + ", playbook " + escape(outcome.getPlaybook()) + ']';
    }

    public static String channel(Owner owner) {
        return owner == null ? null : owner.getSlackChannel();
    }
}
