package dev.nightshift.ingest.normalize;

import dev.nightshift.ingest.IngestSource;
import dev.nightshift.ingest.Payloads;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Map;

import static dev.nightshift.ingest.normalize.ParserTesting.alerts;
import static dev.nightshift.ingest.normalize.ParserTesting.delivery;
import static dev.nightshift.ingest.normalize.ParserTesting.refusal;
import static org.assertj.core.api.Assertions.assertThat;

class DatadogParserTest {
    private final DatadogParser parser = new DatadogParser(ParserTesting.ids());

    private Alert parse(String body) {
        return alerts(parser.parse(delivery(IngestSource.DATADOG, body, Map.of()))).get(0);
    }

    @Test
    void theTemplatePayloadIsNormalized() {
        Alert alert = parse(Payloads.datadogTemplate("Triggered", "error", "normal"));

        assertThat(alert.getSource()).isEqualTo(AlertSource.DATADOG);
        assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
        assertThat(alert.getName()).isEqualTo("CPU high on web");
        assertThat(alert.getTitle()).isEqualTo("[Triggered on {host:web-1,env:prod}] CPU high on web");
        assertThat(alert.getDescription()).contains("CPU is 93% on web-1");
        assertThat(alert.getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(alert.getService()).isEqualTo("checkout");
        assertThat(alert.getTeam()).isEqualTo("web");
        assertThat(alert.getPlaybook()).isEqualTo("restart-ecs-service");
        assertThat(alert.getResource()).isEqualTo("web-1");
        assertThat(alert.getAccount()).isEqualTo("424242");
        assertThat(alert.getSourceId()).isEqualTo("12345678");
        assertThat(alert.getLink()).isEqualTo("https://app.datadoghq.com/event/event?id=7283947238947239");
        assertThat(alert.getLabels()).containsEntry("env", "prod").containsEntry("host", "web-1").containsEntry("monitor", "");
        assertThat(alert.getAnnotations()).containsEntry("transition", "Triggered").containsEntry("scope", "host:web-1,env:prod");
        assertThat(alert.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1763719200000L));
    }

    @ParameterizedTest
    @CsvSource({
            "Triggered, error, FIRING, HIGH",
            "Re-Triggered, error, FIRING, HIGH",
            "Warn, warning, FIRING, MEDIUM",
            "Recovered, success, RESOLVED, INFO",
            "No Data, error, NO_DATA, HIGH",
            "Renotify, error, FIRING, HIGH"})
    void everyTransitionMapsToItsState(String transition, String alertType, AlertState state, Severity severity) {
        Alert alert = parse(Payloads.datadogTemplate(transition, alertType, "normal"));

        assertThat(alert.getState()).isEqualTo(state);
        assertThat(alert.getSeverity()).isEqualTo(severity);
    }

    @Test
    void aPriorityP1ToP5SetsTheSeverity() {
        assertThat(parse(Payloads.datadogTemplate("Triggered", "error", "P1")).getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(parse(Payloads.datadogTemplate("Triggered", "error", "P4")).getSeverity()).isEqualTo(Severity.LOW);
    }

    @Test
    void fingerprintIsTheMonitorAndScopeWhateverTheTransition() {
        Alert triggered = parse(Payloads.datadogTemplate("Triggered", "error", "normal"));
        Alert recovered = parse(Payloads.datadogTemplate("Recovered", "success", "normal"));
        Alert otherHost = parse(Payloads.datadogTemplate("Triggered", "error", "normal").replace("\"alert_scope\":\"host:web-1,env:prod\"", "\"alert_scope\":\"host:web-2,env:prod\""));

        assertThat(triggered.getFingerprint()).isEqualTo(recovered.getFingerprint());
        assertThat(otherHost.getFingerprint()).isNotEqualTo(triggered.getFingerprint());
    }

    /** The template as Datadog fills it in when it has no monitor id to give: {@code $ALERT_ID} becomes "". */
    private static String templateWithBlankAlertId(String transition, String title) {
        return """
                {"id":"7283947238947239","alert_id":"","alert_transition":"%s","alert_type":"error",
                 "alert_scope":"env:prod","title":"[%s on {env:prod}] %s","body":"","tags":"env:prod",
                 "priority":"","last_updated":"1763719200000","org_id":"424242"}
                """.formatted(transition, transition, title);
    }

    @Test
    void aBlankAlertIdIsNoMonitorIdSoUnrelatedAlertsKeepTheirOwnFingerprints() {
        Alert disk = parse(templateWithBlankAlertId("Triggered", "Disk full on db-1"));
        Alert checkout = parse(templateWithBlankAlertId("Triggered", "Checkout 5xx rate high"));
        Alert diskAgain = parse(templateWithBlankAlertId("Triggered", "Disk full on db-1"));
        Alert diskRecovered = parse(templateWithBlankAlertId("Recovered", "Disk full on db-1"));
        Alert diskWithoutAlertId = parse(templateWithBlankAlertId("Triggered", "Disk full on db-1").replace("\"alert_id\":\"\",", ""));

        assertThat(checkout.getFingerprint()).isNotEqualTo(disk.getFingerprint());
        assertThat(diskAgain.getFingerprint()).isEqualTo(disk.getFingerprint());
        assertThat(diskRecovered.getFingerprint()).isEqualTo(disk.getFingerprint());
        assertThat(diskWithoutAlertId.getFingerprint()).isEqualTo(disk.getFingerprint());
        assertThat(disk.getName()).isEqualTo("Disk full on db-1");
        assertThat(disk.getSourceId()).isNull();
    }

    @Test
    void theDefaultPayloadIsReadFromItsTitle() {
        Alert triggered = parse(Payloads.datadogDefault("[P2] [Triggered on {host:db-1}]"));
        Alert recovered = parse(Payloads.datadogDefault("[Recovered on {host:db-1}]"));
        Alert noData = parse(Payloads.datadogDefault("[No Data on {host:db-1}]"));

        assertThat(triggered.getState()).isEqualTo(AlertState.FIRING);
        assertThat(triggered.getName()).isEqualTo("Disk almost full");
        assertThat(triggered.getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(triggered.getResource()).isEqualTo("db-1");
        assertThat(triggered.getAccount()).isEqualTo("424242");
        assertThat(recovered.getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(noData.getState()).isEqualTo(AlertState.NO_DATA);
        assertThat(recovered.getFingerprint()).isEqualTo(triggered.getFingerprint());
    }

    @Test
    void anUnknownTransitionIsRefusedNamingTheField() {
        InvalidPayloadException e = refusal(() -> parse(Payloads.datadogTemplate("Exploded", "error", "normal")));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("alert_transition");
    }

    @Test
    void aDefaultPayloadWithoutATransitionInItsTitleIsRefused() {
        InvalidPayloadException e = refusal(() -> parse(Payloads.datadogDefault("")));

        assertThat(e.field()).isEqualTo("alert_transition");
    }
}
