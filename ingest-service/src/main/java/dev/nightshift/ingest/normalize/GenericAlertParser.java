package dev.nightshift.ingest.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.ingest.IngestSource;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The project's own JSON: one alert object or an array of them. {@code name} and {@code state}
 * ({@code firing} or {@code resolved}) are required; {@code severity}, {@code service}, {@code team},
 * {@code summary}, {@code description}, {@code resource}, {@code labels}, {@code annotations},
 * {@code playbook}, {@code link} and {@code occurredAt} are optional. The fingerprint is a hash of
 * name, service, resource and the sorted labels. Every alert of a batch is checked before any is
 * taken, and an error names the field, with its index in a batch ({@code [2].state}).
 */
public final class GenericAlertParser implements SourceParser {
    private final Supplier<String> ids;
    private final int maxAlerts;

    public GenericAlertParser(Supplier<String> ids, int maxAlerts) {
        this.ids = ids;
        this.maxAlerts = maxAlerts;
    }

    @Override
    public IngestSource source() {
        return IngestSource.GENERIC;
    }

    @Override
    public ParseResult parse(Delivery delivery) {
        JsonNode root = Json.parse(delivery.body());
        List<Alert> alerts = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw InvalidPayloadException.badRequest("the array is empty; send at least one alert");
            }
            if (root.size() > maxAlerts) {
                throw new InvalidPayloadException(413, "a request may carry at most " + maxAlerts + " alerts, this one has "
                        + root.size(), null);
            }
            for (int i = 0; i < root.size(); i++) {
                alerts.add(alert(root.get(i), "[" + i + "].").toAlert(ids.get(), delivery.receivedAt()));
            }
        } else if (root.isObject()) {
            alerts.add(alert(root, "").toAlert(ids.get(), delivery.receivedAt()));
        } else {
            throw InvalidPayloadException.badRequest("the body must be an alert object or an array of alert objects");
        }
        return new ParseResult.Alerts(alerts);
    }

    /** One alert object; {@code path} prefixes field names in errors. */
    AlertDraft alert(JsonNode node, String path) {
        if (!node.isObject()) {
            throw InvalidPayloadException.badField(path.isEmpty() ? "alert" : path.substring(0, path.length() - 1),
                    "must be an alert object");
        }
        AlertDraft draft = new AlertDraft(AlertSource.GENERIC);
        draft.name = Json.requiredText(node, "name", path + "name");
        draft.state = state(Json.requiredText(node, "state", path + "state"), path + "state");
        String severity = Json.optionalText(node, "severity", path + "severity");
        if (severity != null) {
            draft.severity = Severities.parse(severity);
            if (draft.severity == null) {
                throw InvalidPayloadException.badField(path + "severity",
                        "must be one of critical, high, medium, low, info (or warning, error, P1-P5)");
            }
        } else {
            draft.severity = Severity.UNKNOWN;
        }
        draft.service = Json.optionalText(node, "service", path + "service");
        draft.team = Json.optionalText(node, "team", path + "team");
        draft.title = Json.optionalText(node, "summary", path + "summary");
        draft.description = Json.optionalText(node, "description", path + "description");
        draft.resource = Json.optionalText(node, "resource", path + "resource");
        draft.playbook = Json.optionalText(node, "playbook", path + "playbook");
        draft.link = Json.optionalText(node, "link", path + "link");
        draft.labels = Json.stringMap(node, "labels", path + "labels");
        draft.annotations = Json.stringMap(node, "annotations", path + "annotations");
        draft.occurredAt = Json.optionalTime(node, "occurredAt", path + "occurredAt");
        draft.fingerprint = Fingerprints.of(AlertSource.GENERIC)
                .part(draft.name).part(draft.service).part(draft.resource).labels(draft.labels).build();
        return draft;
    }

    private static AlertState state(String value, String path) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "firing" -> AlertState.FIRING;
            case "resolved" -> AlertState.RESOLVED;
            default -> throw InvalidPayloadException.badField(path, "must be 'firing' or 'resolved'");
        };
    }
}
