package dev.nightshift.notifier.paging;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.notifier.jira.IncidentLinks;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.Severity;

import java.util.Map;

/**
 * The events of PagerDuty's Events API v2 the notifier sends: a {@code trigger} per incident, its {@code dedup_key}
 * the incident id (a second trigger of the same incident is the same alert), and its {@code resolve}. The incident's
 * severity maps to PagerDuty's: CRITICAL critical, HIGH error, MEDIUM warning, LOW and INFO info, and an unknown one
 * error (someone is being paged, so it is treated as needing a person).
 */
final class PagerDutyEvents {
    /** PagerDuty's limit on a summary. */
    static final int MAX_SUMMARY = 1024;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PagerDutyEvents() {
    }

    static String severity(Severity severity) {
        if (severity == null) {
            return "error";
        }
        return switch (severity) {
            case CRITICAL -> "critical";
            case HIGH, UNKNOWN -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "info";
        };
    }

    static ObjectNode trigger(String routingKey, String team, Notification notification) {
        Incident incident = notification.getIncident();
        ObjectNode event = NODES.objectNode().put("routing_key", routingKey).put("event_action", "trigger")
                .put("dedup_key", notification.getIncidentId()).put("client", "nightshift");
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", summary(notification));
        payload.put("severity", severity(incident == null ? null : incident.getSeverity()));
        payload.put("source", source(notification));
        payload.put("timestamp", notification.getAt().toString());
        String service = incident == null || incident.getOwner() == null ? null : incident.getOwner().getService();
        putIfPresent(payload, "component", service);
        payload.put("group", team);
        putIfPresent(payload, "class", incident == null ? null : incident.getCategory());
        ObjectNode details = payload.putObject("custom_details");
        putIfPresent(details, "why", notification.getText());
        details.put("event", notification.getEvent());
        details.put("incident_id", notification.getIncidentId());
        if (incident != null) {
            putIfPresent(details, "title", incident.getTitle());
            details.put("alert", incident.getName());
            details.put("alert_source", String.valueOf(incident.getSource()));
            details.put("state", String.valueOf(incident.getState()));
            details.put("severity", String.valueOf(incident.getSeverity()));
            details.put("team", team);
            putIfPresent(details, "service", service);
            putIfPresent(details, "resource", incident.getResource());
            putIfPresent(details, "account", incident.getAccount());
            putIfPresent(details, "region", incident.getRegion());
            putIfPresent(details, "playbook", incident.getPlaybook());
            details.put("opened_at", incident.getOpenedAt().toString());
            details.put("occurrences", incident.getOccurrences());
        }
        PlaybookRun run = notification.getRun();
        if (run != null) {
            details.put("run_status", String.valueOf(run.getStatus()));
            putIfPresent(details, "run_reason", run.getReason());
        }
        Map<String, String> links = IncidentLinks.of(incident);
        if (!links.isEmpty()) {
            links.forEach((text, href) -> event.withArray("links").addObject().put("href", href).put("text", text));
        }
        return event;
    }

    static ObjectNode resolve(String routingKey, String incidentId) {
        return NODES.objectNode().put("routing_key", routingKey).put("event_action", "resolve").put("dedup_key", incidentId);
    }

    /** One line: the severity, the incident's title (else its alert), the team and service, and why it pages. */
    static String summary(Notification notification) {
        Incident incident = notification.getIncident();
        StringBuilder summary = new StringBuilder();
        if (incident != null) {
            summary.append('[').append(incident.getSeverity()).append("] ")
                    .append(incident.getTitle() != null && !incident.getTitle().isBlank() ? incident.getTitle() : incident.getName());
            if (incident.getOwner() != null) {
                summary.append(" (").append(incident.getOwner().getTeam())
                        .append(incident.getOwner().getService() == null ? "" : "/" + incident.getOwner().getService()).append(')');
            }
        } else {
            summary.append("Incident ").append(notification.getIncidentId());
        }
        if (notification.getText() != null && !notification.getText().isBlank()) {
            summary.append(": ").append(notification.getText());
        }
        String line = summary.toString().replaceAll("\\s+", " ").trim();
        return line.length() > MAX_SUMMARY ? line.substring(0, MAX_SUMMARY - 1) + "…" : line;
    }

    /** Where it happens: the resource, else the service, else the alert's name. */
    private static String source(Notification notification) {
        Incident incident = notification.getIncident();
        if (incident == null) {
            return "nightshift";
        }
        if (incident.getResource() != null && !incident.getResource().isBlank()) {
            return incident.getResource();
        }
        if (incident.getOwner() != null && incident.getOwner().getService() != null) {
            return incident.getOwner().getService();
        }
        return incident.getName();
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }
}
