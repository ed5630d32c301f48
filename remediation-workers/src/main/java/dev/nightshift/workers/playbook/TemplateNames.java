package dev.nightshift.workers.playbook;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The variables a playbook may use, in one place:
 * <ul>
 *   <li>{@code incident.<field>}: id, name, title, severity, category, resource, fingerprint, source,
 *   service, team, playbook, openedAt, account, region;</li>
 *   <li>{@code alert.<field>} of the incident's latest alert: account, region, metricNamespace,
 *   metricName, resource, name; and {@code alert.labels.<label>} (dimensions, tags and labels);</li>
 *   <li>{@code environment}: the alert's {@code env} or {@code environment} label, else the owning
 *   service's environment;</li>
 *   <li>{@code steps.<step>.<result>} of an earlier step of the same playbook, and
 *   {@code steps.<step>.status}.</li>
 * </ul>
 */
public final class TemplateNames {
    public static final Set<String> INCIDENT_FIELDS = Set.of("id", "name", "title", "severity", "category", "resource",
            "fingerprint", "source", "service", "team", "playbook", "openedAt", "account", "region");
    public static final Set<String> ALERT_FIELDS = Set.of("account", "region", "metricNamespace", "metricName", "resource", "name");

    private TemplateNames() {
    }

    /**
     * Why {@code name} is not a variable a step may use, given the names of the steps before it; empty when it is.
     */
    public static Optional<String> problem(String name, List<String> earlierSteps) {
        String[] parts = name.split("\\.", 3);
        switch (parts[0]) {
            case "environment" -> {
                return parts.length == 1 ? Optional.empty() : Optional.of("'" + name + "': environment has no fields");
            }
            case "incident" -> {
                return parts.length == 2 && INCIDENT_FIELDS.contains(parts[1]) ? Optional.empty()
                        : Optional.of("'" + name + "': the incident's fields are " + sorted(INCIDENT_FIELDS));
            }
            case "alert" -> {
                if (parts.length == 3 && parts[1].equals("labels") && !parts[2].isBlank()) {
                    return Optional.empty();
                }
                return parts.length == 2 && ALERT_FIELDS.contains(parts[1]) ? Optional.empty()
                        : Optional.of("'" + name + "': the alert's fields are " + sorted(ALERT_FIELDS) + " and labels.<label>");
            }
            case "steps" -> {
                if (parts.length != 3 || parts[2].isBlank()) {
                    return Optional.of("'" + name + "': write steps.<step>.<result>");
                }
                return earlierSteps.contains(parts[1]) ? Optional.empty()
                        : Optional.of("'" + name + "': '" + parts[1] + "' is not an earlier step of this playbook"
                        + (earlierSteps.isEmpty() ? " (this is its first step)" : " (earlier steps: " + earlierSteps + ")"));
            }
            default -> {
                return Optional.of("'" + name + "' is not a variable (incident.<field>, alert.<field>, alert.labels.<label>, "
                        + "environment, steps.<step>.<result>)");
            }
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
