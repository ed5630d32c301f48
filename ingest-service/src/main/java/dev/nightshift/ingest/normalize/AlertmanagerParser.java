package dev.nightshift.ingest.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.ingest.IngestSource;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Prometheus Alertmanager's webhook (payload version 4): each entry of {@code alerts[]} becomes one
 * alert, firing or resolved, with its labels, annotations, startsAt/endsAt, generatorURL and
 * Alertmanager's own fingerprint. Our fingerprint is a hash of the label set, as Alertmanager's is.
 */
public final class AlertmanagerParser implements SourceParser {
    /** Go's zero time: Alertmanager's "no end yet". */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private final Supplier<String> ids;
    private final int maxAlerts;

    public AlertmanagerParser(Supplier<String> ids, int maxAlerts) {
        this.ids = ids;
        this.maxAlerts = maxAlerts;
    }

    @Override
    public IngestSource source() {
        return IngestSource.ALERTMANAGER;
    }

    @Override
    public ParseResult parse(Delivery delivery) {
        JsonNode root = Json.parse(delivery.body());
        if (!root.isObject()) {
            throw InvalidPayloadException.badRequest("the body must be an Alertmanager webhook object");
        }
        String version = Json.optionalScalar(root, "version", "version");
        if (version != null && !version.equals("4")) {
            throw InvalidPayloadException.badField("version", "is '" + version + "'; only webhook payload version 4 is understood");
        }
        JsonNode entries = root.get("alerts");
        if (entries == null || !entries.isArray()) {
            throw InvalidPayloadException.badField("alerts", "is required and must be an array");
        }
        if (entries.isEmpty()) {
            throw InvalidPayloadException.badField("alerts", "is empty; send at least one alert");
        }
        if (entries.size() > maxAlerts) {
            throw new InvalidPayloadException(413, "a request may carry at most " + maxAlerts + " alerts, this one has "
                    + entries.size(), null);
        }
        String externalUrl = Json.optionalText(root, "externalURL", "externalURL");
        List<Alert> alerts = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            alerts.add(alert(entries.get(i), "alerts[" + i + "].", externalUrl).toAlert(ids.get(), delivery.receivedAt()));
        }
        return new ParseResult.Alerts(alerts);
    }

    private AlertDraft alert(JsonNode node, String path, String externalUrl) {
        if (!node.isObject()) {
            throw InvalidPayloadException.badField(path.substring(0, path.length() - 1), "must be an alert object");
        }
        AlertDraft draft = new AlertDraft(AlertSource.ALERTMANAGER);
        String status = Json.requiredText(node, "status", path + "status");
        draft.state = switch (status.toLowerCase(Locale.ROOT)) {
            case "firing" -> AlertState.FIRING;
            case "resolved" -> AlertState.RESOLVED;
            default -> throw InvalidPayloadException.badField(path + "status", "must be 'firing' or 'resolved'");
        };
        Map<String, String> labels = new TreeMap<>(Json.stringMap(node, "labels", path + "labels"));
        Map<String, String> annotations = Json.stringMap(node, "annotations", path + "annotations");
        draft.labels = labels;
        draft.annotations = annotations;
        draft.name = firstNonBlank(labels.get("alertname"), "unnamed");
        draft.severity = Severities.parseOrUnknown(labels.get("severity"));
        draft.service = firstNonBlank(labels.get("service"), labels.get("job"));
        draft.team = labels.get("team");
        draft.resource = firstNonBlank(labels.get("resource"), labels.get("instance"));
        draft.playbook = firstNonBlank(annotations.get("playbook"), labels.get("playbook"));
        draft.title = firstNonBlank(annotations.get("summary"), annotations.get("title"));
        draft.description = firstNonBlank(annotations.get("description"), annotations.get("message"));
        draft.account = labels.get("account");
        draft.region = labels.get("region");
        draft.link = firstNonBlank(Json.optionalText(node, "generatorURL", path + "generatorURL"), externalUrl);
        draft.sourceId = Json.optionalText(node, "fingerprint", path + "fingerprint");
        draft.startsAt = realTime(Json.optionalTime(node, "startsAt", path + "startsAt"));
        draft.endsAt = realTime(Json.optionalTime(node, "endsAt", path + "endsAt"));
        draft.occurredAt = draft.state == AlertState.RESOLVED && draft.endsAt != null ? draft.endsAt : draft.startsAt;
        draft.fingerprint = Fingerprints.of(AlertSource.ALERTMANAGER).labels(labels).build();
        return draft;
    }

    private static Instant realTime(Instant time) {
        return time == null || !time.isAfter(GO_ZERO_TIME) ? null : time;
    }

    static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
