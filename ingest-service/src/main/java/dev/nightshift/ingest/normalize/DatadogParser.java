package dev.nightshift.ingest.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.ingest.IngestSource;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Datadog's webhook integration: the payload template of the README (fields named after
 * {@code $ALERT_TRANSITION}, {@code $ALERT_ID}, {@code $ALERT_SCOPE}, ...) and Datadog's default
 * payload (where the transition and scope are read from the title, e.g.
 * {@code [Triggered on {host:web-1}] High CPU}). Transitions: Triggered, Re-Triggered, Warn,
 * Re-Warn and Renotify are firing, Recovered is resolved, No Data is NO_DATA. The fingerprint is a
 * hash of the monitor id and the scope (the monitor name and scope when the id is missing or blank).
 */
public final class DatadogParser implements SourceParser {
    private static final Pattern BRACKET = Pattern.compile("^\\s*\\[([^\\]]*)]\\s*");
    private static final Pattern PRIORITY = Pattern.compile("(?i)P[1-5]");
    private static final Pattern TRANSITION = Pattern.compile(
            "(?i)^(re-?triggered|triggered|re-?warn|warn|recovered|warn\\s+recovered|re-?no\\s*data|no\\s*data|renotify)"
                    + "(?:\\s+on\\s+\\{(.*)})?\\s*$");

    private final Supplier<String> ids;

    public DatadogParser(Supplier<String> ids) {
        this.ids = ids;
    }

    @Override
    public IngestSource source() {
        return IngestSource.DATADOG;
    }

    @Override
    public ParseResult parse(Delivery delivery) {
        JsonNode root = Json.parse(delivery.body());
        if (!root.isObject()) {
            throw InvalidPayloadException.badRequest("the body must be a Datadog webhook object");
        }
        AlertDraft draft = new AlertDraft(AlertSource.DATADOG);
        String rawTitle = firstNonBlank(Json.optionalScalar(root, "title", "title"),
                Json.optionalScalar(root, "event_title", "event_title"));
        Title title = Title.parse(rawTitle);

        String transition = firstNonBlank(Json.optionalScalar(root, "alert_transition", "alert_transition"), title.transition);
        String alertType = Json.optionalScalar(root, "alert_type", "alert_type");
        String transitionField = root.hasNonNull("alert_transition") ? "alert_transition" : "title";
        if (transition == null) {
            if ("success".equalsIgnoreCase(alertType)) {
                transition = "Recovered";
            } else {
                throw InvalidPayloadException.badField("alert_transition",
                        "is required (the template's $ALERT_TRANSITION, or a title that starts with [Triggered], [Recovered], ...)");
            }
        }
        draft.state = state(transition, transitionField);

        // the template's $ALERT_ID is "" when Datadog has no monitor to name: no id, not an id of ""
        String monitorId = firstNonBlank(Json.optionalScalar(root, "alert_id", "alert_id"));
        String scope = firstNonBlank(Json.optionalScalar(root, "alert_scope", "alert_scope"), title.scope);
        draft.name = firstNonBlank(title.name, Json.optionalScalar(root, "aggreg_key", "aggreg_key"), monitorId);
        if (draft.name == null) {
            throw InvalidPayloadException.badField("title", "is required (the template's $EVENT_TITLE)");
        }
        draft.title = rawTitle;
        draft.description = firstNonBlank(Json.optionalScalar(root, "body", "body"), Json.optionalScalar(root, "event_msg", "event_msg"));
        draft.sourceId = monitorId;
        draft.link = Json.optionalScalar(root, "link", "link");
        JsonNode org = root.get("org");
        draft.account = firstNonBlank(Json.optionalScalar(root, "org_id", "org_id"),
                org != null && org.isObject() ? Json.optionalScalar(org, "id", "org.id") : null);

        Map<String, String> labels = tags(Json.optionalScalar(root, "tags", "tags"));
        labels.putAll(tags(scope));
        draft.labels = labels;
        draft.service = labels.get("service");
        draft.team = labels.get("team");
        draft.playbook = labels.get("playbook");
        String hostname = Json.optionalScalar(root, "hostname", "hostname");
        draft.resource = firstNonBlank(hostname, labels.get("host"), scope);
        draft.region = firstNonBlank(labels.get("region"), labels.get("aws_region"));

        Map<String, String> annotations = new LinkedHashMap<>();
        put(annotations, "transition", transition);
        put(annotations, "alertType", alertType);
        put(annotations, "alertStatus", Json.optionalScalar(root, "alert_status", "alert_status"));
        put(annotations, "eventId", Json.optionalScalar(root, "id", "id"));
        put(annotations, "aggregationKey", Json.optionalScalar(root, "aggreg_key", "aggreg_key"));
        put(annotations, "scope", scope);
        put(annotations, "eventType", Json.optionalScalar(root, "event_type", "event_type"));
        draft.annotations = annotations;

        String priority = firstNonBlank(Json.optionalScalar(root, "priority", "priority"), title.priority);
        draft.severity = severity(priority, alertType, draft.state, transition);
        String updated = firstNonBlank(Json.optionalScalar(root, "last_updated", "last_updated"),
                Json.optionalScalar(root, "date", "date"));
        draft.occurredAt = Json.parseTime(updated);

        draft.fingerprint = Fingerprints.of(AlertSource.DATADOG)
                .part(monitorId == null ? "name:" + draft.name : "monitor:" + monitorId)
                .part(normalizedScope(scope)).build();
        return new ParseResult.Alerts(List.of(draft.toAlert(ids.get(), delivery.receivedAt())));
    }

    private static AlertState state(String transition, String field) {
        String t = transition.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
        if (t.contains("recovered")) {
            return AlertState.RESOLVED;
        }
        return switch (t) {
            case "triggered", "retriggered", "warn", "rewarn", "renotify", "alert", "error", "warning" -> AlertState.FIRING;
            case "nodata", "renodata" -> AlertState.NO_DATA;
            default -> throw InvalidPayloadException.badField(field,
                    "has the unknown transition '" + transition + "' (Triggered, Re-Triggered, Warn, Recovered or No Data)");
        };
    }

    private static Severity severity(String priority, String alertType, AlertState state, String transition) {
        if (priority != null && PRIORITY.matcher(priority.trim()).matches()) {
            return Severities.parseOrUnknown(priority);
        }
        if (transition != null && transition.toLowerCase(Locale.ROOT).contains("warn") && state == AlertState.FIRING) {
            return Severity.MEDIUM;
        }
        if (alertType != null) {
            return switch (alertType.toLowerCase(Locale.ROOT)) {
                case "error" -> Severity.HIGH;
                case "warning" -> Severity.MEDIUM;
                case "info", "success" -> Severity.INFO;
                default -> Severity.UNKNOWN;
            };
        }
        return Severity.UNKNOWN;
    }

    /** Datadog tags {@code a:b,c:d,flag} as labels; a tag without a value maps to "". */
    static Map<String, String> tags(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return labels;
        }
        for (String tag : text.split(",")) {
            String t = tag.trim();
            if (t.isEmpty()) {
                continue;
            }
            int colon = t.indexOf(':');
            if (colon > 0) {
                labels.put(t.substring(0, colon), t.substring(colon + 1));
            } else {
                labels.put(t, "");
            }
        }
        return labels;
    }

    private static String normalizedScope(String scope) {
        if (scope == null) {
            return "";
        }
        return String.join(",", Arrays.stream(scope.split(",")).map(String::trim).filter(s -> !s.isEmpty()).sorted().toList());
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    private static String firstNonBlank(String... values) {
        return AlertmanagerParser.firstNonBlank(values);
    }

    /** What the bracketed prefixes of a Datadog title say: [P1] [Triggered on {host:a}] Name. */
    record Title(String name, String transition, String scope, String priority) {
        static Title parse(String title) {
            if (title == null) {
                return new Title(null, null, null, null);
            }
            String rest = title;
            String transition = null;
            String scope = null;
            String priority = null;
            Matcher m = BRACKET.matcher(rest);
            while (m.find()) {
                String inside = m.group(1).trim();
                Matcher t = TRANSITION.matcher(inside);
                if (PRIORITY.matcher(inside).matches()) {
                    priority = inside.toUpperCase(Locale.ROOT);
                } else if (t.matches()) {
                    transition = t.group(1);
                    scope = t.group(2);
                } else {
                    break;
                }
                rest = rest.substring(m.end());
                m = BRACKET.matcher(rest);
            }
            String name = rest.trim();
            return new Title(name.isEmpty() ? null : name, transition, scope, priority);
        }
    }
}
