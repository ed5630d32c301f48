package dev.nightshift.triage.classify;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.Severity;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One classification rule: every condition it states must hold (an empty condition always holds);
 * within a condition that lists several values, any one of them matches.
 *
 * @param labels      label (dimension, tag) values: exact, or {@code "*"} for "present with any value"
 * @param labelsRegex label values that must match a regular expression (whole value)
 */
public record ClassificationRule(String name, Set<AlertSource> sources, Set<String> names, Pattern nameRegex,
                                 Set<String> metricNamespaces, Set<String> metricNames,
                                 Map<String, String> labels, Map<String, Pattern> labelsRegex,
                                 String category, Severity severity, String playbook) {

    public boolean matches(Alert alert) {
        if (!sources.isEmpty() && !sources.contains(alert.getSource())) {
            return false;
        }
        if (!names.isEmpty() && !names.contains(alert.getName())) {
            return false;
        }
        if (nameRegex != null && !nameRegex.matcher(alert.getName()).matches()) {
            return false;
        }
        if (!metricNamespaces.isEmpty() && !metricNamespaces.contains(alert.getMetricNamespace())) {
            return false;
        }
        if (!metricNames.isEmpty() && !metricNames.contains(alert.getMetricName())) {
            return false;
        }
        Map<String, String> alertLabels = alert.getLabels();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String value = alertLabels.get(label.getKey());
            if (value == null || !("*".equals(label.getValue()) || label.getValue().equals(value))) {
                return false;
            }
        }
        for (Map.Entry<String, Pattern> label : labelsRegex.entrySet()) {
            String value = alertLabels.get(label.getKey());
            if (value == null || !label.getValue().matcher(value).matches()) {
                return false;
            }
        }
        return true;
    }

    static List<String> conditionKeys() {
        return List.of("source", "name", "nameRegex", "metricNamespace", "metricName", "labels", "labelsRegex");
    }
}
