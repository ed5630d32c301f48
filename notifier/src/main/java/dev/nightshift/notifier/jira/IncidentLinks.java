package dev.nightshift.notifier.jira;

import dev.nightshift.schema.Incident;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The links an incident carries for people (a runbook, a dashboard, the alert at its source): each of its labels whose
 * value is an absolute http(s) address, by label name, in name order. The ticket and the page show the same links.
 */
public final class IncidentLinks {
    private IncidentLinks() {
    }

    public static Map<String, String> of(Incident incident) {
        Map<String, String> links = new LinkedHashMap<>();
        if (incident == null || incident.getLabels() == null) {
            return links;
        }
        new TreeMap<>(incident.getLabels()).forEach((name, value) -> {
            if (WebAddress.valid(value)) {
                links.put(name, value.trim());
            }
        });
        return links;
    }
}
