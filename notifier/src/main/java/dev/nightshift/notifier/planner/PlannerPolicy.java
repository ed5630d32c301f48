package dev.nightshift.notifier.planner;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Where an incident is told and what it earns, from its owner's entry and the planner's defaults: its Slack channel
 * (the incident's owner's channel, else the ownership entry's, else {@code SLACK_DEFAULT_CHANNEL}); its Jira project
 * (likewise, else {@code JIRA_DEFAULT_PROJECT}; none at all: no ticket), whether its severity gets a ticket (ownership
 * {@code ticketSeverities}, empty: every severity), a channel of its own (CRITICAL and ownership
 * {@code incidentChannels}), whether it pages when nobody acknowledges it (severity at least
 * {@code NOTIFIER_PAGE_SEVERITY}) and within how long (ownership {@code acknowledgeWithin}, else
 * {@code NOTIFIER_ACKNOWLEDGE_WITHIN}). The ownership entry passed in is the incident's (by its service), or null.
 */
public record PlannerPolicy(Duration groupWindow, Duration acknowledgeWithin, Severity pageSeverity, String defaultChannel,
                            String defaultProject) {
    private static final Logger LOG = LoggerFactory.getLogger(PlannerPolicy.class);

    public String slackChannel(Incident incident, Ownership owner) {
        return firstOf(incident.getOwner() == null ? null : incident.getOwner().getSlackChannel(),
                owner == null ? null : owner.getSlackChannel(), defaultChannel);
    }

    /** The project of the incident's ticket, or null when it gets none. */
    public String ticketProject(Incident incident, Ownership owner) {
        if (owner != null && !owner.getTicketSeverities().isEmpty() && owner.getTicketSeverities().stream()
                .noneMatch(s -> s.trim().toUpperCase(Locale.ROOT).equals(incident.getSeverity().name()))) {
            return null;
        }
        return firstOf(incident.getOwner() == null ? null : incident.getOwner().getJiraProject(),
                owner == null ? null : owner.getJiraProject(), defaultProject);
    }

    public boolean incidentChannel(Incident incident, Ownership owner) {
        return incident.getSeverity() == Severity.CRITICAL && owner != null && owner.getIncidentChannels();
    }

    /** Whether an incident of this severity pages when nobody acknowledges it in time. */
    public boolean pagesWhenUnacknowledged(Severity severity) {
        return severity != null && severity != Severity.UNKNOWN && severity.ordinal() <= pageSeverity.ordinal();
    }

    public Duration acknowledgeWithin(Ownership owner) {
        if (owner != null && owner.getAcknowledgeWithin() != null && !owner.getAcknowledgeWithin().isBlank()) {
            try {
                Duration within = Duration.parse(owner.getAcknowledgeWithin().trim());
                if (!within.isNegative()) {
                    return within;
                }
            } catch (DateTimeParseException e) {
                // falls through to the default
            }
            LOG.warn("ownership of {} says acknowledgeWithin '{}', which is not an ISO-8601 duration; using {}", owner.getService(),
                    owner.getAcknowledgeWithin(), acknowledgeWithin);
        }
        return acknowledgeWithin;
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
