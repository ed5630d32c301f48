package dev.nightshift.ingest.normalize;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of a normalized alert as a parser fills them in; {@link #toAlert} adds the id and times. */
public final class AlertDraft {
    public AlertSource source;
    public String fingerprint;
    public AlertState state;
    public Severity severity = Severity.UNKNOWN;
    public String name;
    public String title;
    public String description;
    public String service;
    public String team;
    public String resource;
    public String playbook;
    public Map<String, String> labels = new LinkedHashMap<>();
    public Map<String, String> annotations = new LinkedHashMap<>();
    public String account;
    public String region;
    public String metricNamespace;
    public String metricName;
    public String link;
    public String sourceId;
    /** When the source says the state began; null means when it was received. */
    public Instant occurredAt;
    /** When the condition began, as the source says; null when it does not say. */
    public Instant startsAt;
    /** When the condition ended, as the source says; null when it does not say. */
    public Instant endsAt;

    public AlertDraft(AlertSource source) {
        this.source = source;
    }

    private static Instant millis(Instant time) {
        return time == null ? null : time.truncatedTo(ChronoUnit.MILLIS);
    }

    public Alert toAlert(String alertId, Instant receivedAt) {
        return new Alert(alertId, source, fingerprint, state, severity == null ? Severity.UNKNOWN : severity, name,
                title, description, service, team, resource, playbook, labels, annotations, account, region,
                metricNamespace, metricName, link, sourceId, occurredAt == null ? receivedAt : occurredAt, receivedAt, millis(startsAt), millis(endsAt));
    }
}
