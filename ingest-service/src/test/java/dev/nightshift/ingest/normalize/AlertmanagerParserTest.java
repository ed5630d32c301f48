package dev.nightshift.ingest.normalize;

import dev.nightshift.ingest.IngestSource;
import dev.nightshift.ingest.Payloads;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.nightshift.ingest.normalize.ParserTesting.alerts;
import static dev.nightshift.ingest.normalize.ParserTesting.delivery;
import static dev.nightshift.ingest.normalize.ParserTesting.refusal;
import static org.assertj.core.api.Assertions.assertThat;

class AlertmanagerParserTest {
    private final AlertmanagerParser parser = new AlertmanagerParser(ParserTesting.ids(), 100);

    private List<Alert> parse(String body) {
        return alerts(parser.parse(delivery(IngestSource.ALERTMANAGER, body, Map.of())));
    }

    @Test
    void eachEntryOfAlertsBecomesOneAlertKeepingLabelsAnnotationsTimesLinkAndFingerprint() {
        List<Alert> alerts = parse(Payloads.alertmanagerWebhook());

        assertThat(alerts).hasSize(2);
        Alert firing = alerts.get(0);
        assertThat(firing.getSource()).isEqualTo(AlertSource.ALERTMANAGER);
        assertThat(firing.getState()).isEqualTo(AlertState.FIRING);
        assertThat(firing.getName()).isEqualTo("HighErrorRate");
        assertThat(firing.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(firing.getService()).isEqualTo("checkout");
        assertThat(firing.getTeam()).isEqualTo("web");
        assertThat(firing.getResource()).isEqualTo("web-1:8080");
        assertThat(firing.getTitle()).isEqualTo("5xx over 5%");
        assertThat(firing.getDescription()).isEqualTo("checkout returns errors");
        assertThat(firing.getPlaybook()).isEqualTo("restart-ecs-service");
        assertThat(firing.getLabels()).containsEntry("job", "checkout").containsEntry("instance", "web-1:8080").hasSize(6);
        assertThat(firing.getAnnotations()).containsEntry("summary", "5xx over 5%");
        assertThat(firing.getStartsAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00.123Z"));
        assertThat(firing.getEndsAt()).as("Go's zero time means no end").isNull();
        assertThat(firing.getOccurredAt()).isEqualTo(firing.getStartsAt());
        assertThat(firing.getLink()).startsWith("http://prometheus.example:9090/graph?g0.expr=");
        assertThat(firing.getSourceId()).isEqualTo("c6a3b1f2d4e5a6b7");

        Alert resolved = alerts.get(1);
        assertThat(resolved.getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.getEndsAt()).isEqualTo(Instant.parse("2026-11-21T09:30:00Z"));
        assertThat(resolved.getOccurredAt()).isEqualTo(resolved.getEndsAt());
    }

    @Test
    void fingerprintIsTheLabelSetWhateverTheStatus() {
        String firing = Payloads.alertmanagerWebhook();
        String resolvedOfFirst = firing.replaceFirst("\"status\":\"firing\",\"labels\"", "\"status\":\"resolved\",\"labels\"");

        Alert a = parse(firing).get(0);
        Alert b = parse(resolvedOfFirst).get(0);
        assertThat(b.getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(a.getFingerprint()).isEqualTo(b.getFingerprint());
        assertThat(a.getFingerprint()).isNotEqualTo(parse(firing).get(1).getFingerprint());
    }

    @Test
    void otherPayloadVersionsAreRefused() {
        InvalidPayloadException e = refusal(() -> parse("{\"version\":\"3\",\"alerts\":[]}"));

        assertThat(e.field()).isEqualTo("version");
    }

    @Test
    void anEmptyAlertsListIsRefusedNamingTheField() {
        InvalidPayloadException e = refusal(() -> parse("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[]}"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("alerts");
        assertThat(e.getMessage()).isEqualTo("field 'alerts' is empty; send at least one alert");
    }

    @Test
    void missingAlertsAndUnknownStatusAreRefusedNamingTheField() {
        assertThat(refusal(() -> parse("{\"version\":\"4\"}")).field()).isEqualTo("alerts");
        assertThat(refusal(() -> parse("{\"version\":\"4\",\"alerts\":[{\"status\":\"pending\",\"labels\":{}}]}")).field())
                .isEqualTo("alerts[0].status");
        assertThat(refusal(() -> parse("{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"startsAt\":\"soon\"}]}")).field())
                .isEqualTo("alerts[0].startsAt");
    }
}
