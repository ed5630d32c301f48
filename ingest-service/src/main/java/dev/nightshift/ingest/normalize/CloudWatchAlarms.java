package dev.nightshift.ingest.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalizes a CloudWatch alarm state change, in either of its two shapes: the alarm JSON SNS
 * carries in {@code Message}, and the EventBridge event {@code CloudWatch Alarm State Change}
 * (metric and composite alarms). ALARM is firing, OK resolved, INSUFFICIENT_DATA is NO_DATA. The
 * fingerprint is a hash of account, region and alarm name. Severity, service, team and playbook
 * come from {@code key=value} (or {@code key:value}) words in the alarm description, e.g.
 * {@code severity=critical service=orders team=payments playbook=scale-dynamodb}.
 */
public final class CloudWatchAlarms {
    private static final Pattern HINT = Pattern.compile("(?i)\\b(severity|service|team|playbook)[=:]\\s*([A-Za-z0-9._/-]+)");

    private CloudWatchAlarms() {
    }

    /** The alarm JSON of an SNS notification; {@code path} prefixes field names in errors. */
    public static AlertDraft fromSnsAlarm(JsonNode alarm, String path) {
        AlertDraft draft = new AlertDraft(AlertSource.CLOUDWATCH);
        draft.name = Json.requiredText(alarm, "AlarmName", path + "AlarmName");
        draft.state = state(Json.requiredText(alarm, "NewStateValue", path + "NewStateValue"), path + "NewStateValue");
        String arn = Json.optionalText(alarm, "AlarmArn", path + "AlarmArn");
        draft.sourceId = arn;
        draft.account = firstNonBlank(Json.optionalScalar(alarm, "AWSAccountId", path + "AWSAccountId"), AwsResources.accountOf(arn));
        draft.region = firstNonBlank(AwsResources.regionOf(arn), Json.optionalText(alarm, "Region", path + "Region"));
        String description = Json.optionalText(alarm, "AlarmDescription", path + "AlarmDescription");
        draft.title = firstNonBlank(description, draft.name);
        draft.description = Json.optionalText(alarm, "NewStateReason", path + "NewStateReason");
        draft.occurredAt = Json.optionalTime(alarm, "StateChangeTime", path + "StateChangeTime");
        Map<String, String> annotations = new LinkedHashMap<>();
        put(annotations, "previousState", Json.optionalText(alarm, "OldStateValue", path + "OldStateValue"));
        put(annotations, "regionName", Json.optionalText(alarm, "Region", path + "Region"));
        JsonNode trigger = alarm.get("Trigger");
        Map<String, String> dimensions = new LinkedHashMap<>();
        if (trigger != null && trigger.isObject()) {
            draft.metricNamespace = Json.optionalScalar(trigger, "Namespace", path + "Trigger.Namespace");
            draft.metricName = Json.optionalScalar(trigger, "MetricName", path + "Trigger.MetricName");
            for (String field : new String[]{"Statistic", "ExtendedStatistic", "ComparisonOperator", "Threshold", "Period",
                    "EvaluationPeriods", "Unit", "TreatMissingData"}) {
                put(annotations, lowerFirst(field), Json.optionalScalar(trigger, field, path + "Trigger." + field));
            }
            JsonNode dims = trigger.get("Dimensions");
            if (dims != null && dims.isArray()) {
                for (JsonNode d : dims) {
                    String name = firstNonBlank(text(d, "name"), text(d, "Name"));
                    String value = firstNonBlank(text(d, "value"), text(d, "Value"));
                    if (name != null && value != null) {
                        dimensions.put(name, value);
                    }
                }
            }
            JsonNode metrics = trigger.get("Metrics");
            if (metrics != null && metrics.isArray() && draft.metricName == null) {
                for (JsonNode m : metrics) {
                    JsonNode metric = m.path("MetricStat").path("Metric");
                    if (metric.isObject()) {
                        draft.metricNamespace = text(metric, "Namespace");
                        draft.metricName = text(metric, "MetricName");
                        for (JsonNode d : metric.path("Dimensions")) {
                            String name = firstNonBlank(text(d, "name"), text(d, "Name"));
                            String value = firstNonBlank(text(d, "value"), text(d, "Value"));
                            if (name != null && value != null) {
                                dimensions.put(name, value);
                            }
                        }
                        break;
                    }
                }
                put(annotations, "expression", firstExpression(metrics, "Expression"));
            }
        }
        finish(draft, description, dimensions, annotations);
        return draft;
    }

    /** An EventBridge event of detail-type {@code CloudWatch Alarm State Change}. */
    public static AlertDraft fromEventBridge(JsonNode event, String path) {
        String detailType = Json.requiredText(event, "detail-type", path + "detail-type");
        if (!detailType.equals("CloudWatch Alarm State Change")) {
            throw InvalidPayloadException.badField(path + "detail-type",
                    "is '" + detailType + "'; only 'CloudWatch Alarm State Change' events are taken");
        }
        JsonNode detail = event.get("detail");
        if (detail == null || !detail.isObject()) {
            throw InvalidPayloadException.badField(path + "detail", "is required");
        }
        String d = path + "detail.";
        AlertDraft draft = new AlertDraft(AlertSource.CLOUDWATCH);
        draft.name = Json.requiredText(detail, "alarmName", d + "alarmName");
        JsonNode state = detail.get("state");
        if (state == null || !state.isObject()) {
            throw InvalidPayloadException.badField(d + "state", "is required");
        }
        draft.state = state(Json.requiredText(state, "value", d + "state.value"), d + "state.value");
        draft.description = Json.optionalText(state, "reason", d + "state.reason");
        draft.occurredAt = firstNonNull(Json.optionalTime(state, "timestamp", d + "state.timestamp"),
                Json.optionalTime(event, "time", path + "time"));
        JsonNode resources = event.get("resources");
        draft.sourceId = resources != null && resources.isArray() && !resources.isEmpty() ? resources.get(0).asText() : null;
        draft.account = firstNonBlank(Json.optionalScalar(event, "account", path + "account"), AwsResources.accountOf(draft.sourceId));
        draft.region = firstNonBlank(Json.optionalText(event, "region", path + "region"), AwsResources.regionOf(draft.sourceId));
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode previous = detail.get("previousState");
        if (previous != null && previous.isObject()) {
            put(annotations, "previousState", text(previous, "value"));
        }
        put(annotations, "eventId", Json.optionalText(event, "id", path + "id"));
        JsonNode configuration = detail.path("configuration");
        String description = text(configuration, "description");
        draft.title = firstNonBlank(description, draft.name);
        Map<String, String> dimensions = new LinkedHashMap<>();
        String alarmRule = text(configuration, "alarmRule");
        if (alarmRule != null) {
            put(annotations, "alarmType", "composite");
            put(annotations, "alarmRule", alarmRule);
            put(annotations, "actionsSuppressor", text(configuration, "actionsSuppressor"));
            JsonNode triggering = state.path("reasonData");
            if (triggering.isTextual()) {
                put(annotations, "reasonData", triggering.asText());
            }
        } else {
            put(annotations, "alarmType", "metric");
        }
        for (JsonNode m : configuration.path("metrics")) {
            JsonNode metric = m.path("metricStat").path("metric");
            if (metric.isObject()) {
                draft.metricNamespace = text(metric, "namespace");
                draft.metricName = text(metric, "name");
                metric.path("dimensions").properties().forEach(e -> dimensions.put(e.getKey(), e.getValue().asText()));
                put(annotations, "period", text(m.path("metricStat"), "period"));
                put(annotations, "statistic", text(m.path("metricStat"), "stat"));
                break;
            }
        }
        put(annotations, "expression", firstExpression(configuration.path("metrics"), "expression"));
        finish(draft, description, dimensions, annotations);
        return draft;
    }

    private static void finish(AlertDraft draft, String description, Map<String, String> dimensions,
                               Map<String, String> annotations) {
        draft.labels = new LinkedHashMap<>(dimensions);
        draft.annotations = annotations;
        draft.resource = AwsResources.resource(draft.metricNamespace, dimensions);
        if (draft.resource == null && draft.sourceId != null && draft.sourceId.startsWith("arn:")) {
            draft.resource = "cloudwatch:alarm/" + draft.name;
        }
        Severity severity = null;
        if (description != null) {
            Matcher m = HINT.matcher(description);
            while (m.find()) {
                String key = m.group(1).toLowerCase(Locale.ROOT);
                String value = m.group(2);
                switch (key) {
                    case "severity" -> severity = Severities.parse(value);
                    case "service" -> draft.service = value;
                    case "team" -> draft.team = value;
                    case "playbook" -> draft.playbook = value;
                    default -> { }
                }
            }
        }
        draft.severity = severity == null ? Severity.UNKNOWN : severity;
        draft.link = AwsResources.consoleLink(draft.region, draft.name);
        draft.fingerprint = Fingerprints.of(AlertSource.CLOUDWATCH).part(draft.account).part(draft.region).part(draft.name).build();
    }

    private static AlertState state(String value, String path) {
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "ALARM" -> AlertState.FIRING;
            case "OK" -> AlertState.RESOLVED;
            case "INSUFFICIENT_DATA" -> AlertState.NO_DATA;
            default -> throw InvalidPayloadException.badField(path, "must be ALARM, OK or INSUFFICIENT_DATA");
        };
    }

    private static String firstExpression(JsonNode metrics, String field) {
        for (JsonNode m : metrics) {
            String expression = text(m, field);
            if (expression != null) {
                return expression;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    private static String lowerFirst(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }

    private static String firstNonBlank(String... values) {
        return AlertmanagerParser.firstNonBlank(values);
    }
}
