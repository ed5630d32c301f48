package dev.nightshift.topics;

import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The names of the pipeline's topics, defaults from the architecture, every one overridable in one
 * place. Settings (Micronaut properties {@code nightshift.topics.*}, or environment variables such
 * as {@code NIGHTSHIFT_TOPICS_ALERTS_RAW}): {@code prefix}, {@code alerts-raw}, {@code alerts-rejected},
 * {@code ownership}, {@code incidents}, {@code remediation-outcomes}, {@code approvals-requests},
 * {@code approvals-decisions}, {@code incident-outcomes}, {@code playbook-runs}, {@code automation-control},
 * {@code actions-ledger}, {@code playbook-commands}, {@code incident-responses}, {@code notifications-outbox},
 * {@code notifications-ledger}, {@code notifications-deliveries}, {@code notifications-silences}. Team and action topics are
 * {@code <prefix>team.<team>.alerts} and {@code <prefix>actions.<action>}.
 */
public record TopicNames(String prefix, String alertsRaw, String alertsRejected, String ownership, String incidents,
                         String remediationOutcomes, String approvalRequests, String approvalDecisions,
                         String incidentOutcomes, String playbookRuns, String automationControl, String actionsLedger,
                         String playbookCommands, String incidentResponses, String notificationsOutbox,
                         String notificationsLedger, String notificationsDeliveries, String notificationsSilences) {
    public static final String DLQ_SUFFIX = ".dlq";
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

    public TopicNames {
        Objects.requireNonNull(prefix, "prefix");
        for (String name : new String[]{alertsRaw, alertsRejected, ownership, incidents, remediationOutcomes,
                approvalRequests, approvalDecisions, incidentOutcomes, playbookRuns, automationControl, actionsLedger,
                playbookCommands, incidentResponses, notificationsOutbox, notificationsLedger, notificationsDeliveries,
                notificationsSilences}) {
            legal(name);
        }
    }

    public static TopicNames defaults() {
        return withPrefix("");
    }

    /** The default names behind a prefix, e.g. {@code "it-3f2a."} for a test of its own. */
    public static TopicNames withPrefix(String prefix) {
        return new TopicNames(prefix, prefix + "alerts.raw", prefix + "alerts.rejected", prefix + "ownership",
                prefix + "incidents", prefix + "remediation.outcomes", prefix + "approvals.requests",
                prefix + "approvals.decisions", prefix + "incident.outcomes", prefix + "playbook.runs",
                prefix + "automation.control", prefix + "actions.ledger", prefix + "playbook.commands",
                prefix + "incident.responses", prefix + "notifications.outbox", prefix + "notifications.ledger",
                prefix + "notifications.deliveries", prefix + "notifications.silences");
    }

    /**
     * Reads overrides through a lookup of the setting names above (e.g. {@code "alerts-raw"}); a null
     * answer keeps the default.
     */
    public static TopicNames from(UnaryOperator<String> settings) {
        String prefix = Objects.requireNonNullElse(settings.apply("prefix"), "");
        TopicNames d = withPrefix(prefix);
        return new TopicNames(prefix,
                or(settings.apply("alerts-raw"), d.alertsRaw),
                or(settings.apply("alerts-rejected"), d.alertsRejected),
                or(settings.apply("ownership"), d.ownership),
                or(settings.apply("incidents"), d.incidents),
                or(settings.apply("remediation-outcomes"), d.remediationOutcomes),
                or(settings.apply("approvals-requests"), d.approvalRequests),
                or(settings.apply("approvals-decisions"), d.approvalDecisions),
                or(settings.apply("incident-outcomes"), d.incidentOutcomes),
                or(settings.apply("playbook-runs"), d.playbookRuns),
                or(settings.apply("automation-control"), d.automationControl),
                or(settings.apply("actions-ledger"), d.actionsLedger),
                or(settings.apply("playbook-commands"), d.playbookCommands),
                or(settings.apply("incident-responses"), d.incidentResponses),
                or(settings.apply("notifications-outbox"), d.notificationsOutbox),
                or(settings.apply("notifications-ledger"), d.notificationsLedger),
                or(settings.apply("notifications-deliveries"), d.notificationsDeliveries),
                or(settings.apply("notifications-silences"), d.notificationsSilences));
    }

    public static TopicNames from(Map<String, String> settings) {
        return from(settings::get);
    }

    public String teamAlerts(String team) {
        return prefix + "team." + legal(team) + ".alerts";
    }

    public String actions(String action) {
        return prefix + "actions." + legal(action);
    }

    /** Matches every action topic (and none of their dead-letter topics). */
    public Pattern actionsPattern() {
        return Pattern.compile(Pattern.quote(prefix + "actions.") + "[a-zA-Z0-9_-]+");
    }

    /** Matches every team topic. */
    public Pattern teamAlertsPattern() {
        return Pattern.compile(Pattern.quote(prefix + "team.") + "[a-zA-Z0-9_-]+" + Pattern.quote(".alerts"));
    }

    public static String deadLetter(String topic) {
        return topic + DLQ_SUFFIX;
    }

    /** Whether a team or action name can be part of a topic name. */
    public static boolean isLegalPart(String name) {
        return name != null && !name.isEmpty() && name.length() <= 100 && LEGAL.matcher(name).matches() && !name.contains("..");
    }

    private static String legal(String name) {
        if (!isLegalPart(name)) {
            throw new IllegalArgumentException("not a legal topic name part: '" + name + "' (letters, digits, '.', '_', '-')");
        }
        return name;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
