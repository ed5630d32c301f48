package dev.nightshift.ingest.normalize;

import dev.nightshift.ingest.IngestSource;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class GenericAlertParserTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-21T12:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();
    private final GenericAlertParser parser = new GenericAlertParser(() -> "id-" + ids.incrementAndGet(), 3);

    private List<Alert> parse(String json) {
        ParseResult result = parser.parse(new Delivery(IngestSource.GENERIC, "application/json",
                json.getBytes(StandardCharsets.UTF_8), h -> null, RECEIVED));
        return ((ParseResult.Alerts) result).alerts();
    }

    private static InvalidPayloadException failure(Runnable parse) {
        try {
            parse.run();
        } catch (InvalidPayloadException e) {
            return e;
        }
        throw new AssertionError("expected the payload to be refused");
    }

    @Test
    void everyDocumentedFieldIsNormalized() {
        Alert alert = parse("""
                {"name": "HighLatency", "state": "firing", "severity": "high", "service": "checkout", "team": "web",
                 "summary": "p99 over 2s", "resource": "alb:checkout", "labels": {"env": "prod", "retries": 3},
                 "playbook": "restart-ecs-service", "occurredAt": "2026-11-21T11:59:00+01:00"}
                """).get(0);

        assertThat(alert.getAlertId()).isEqualTo("id-1");
        assertThat(alert.getSource()).isEqualTo(AlertSource.GENERIC);
        assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
        assertThat(alert.getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(alert.getName()).isEqualTo("HighLatency");
        assertThat(alert.getService()).isEqualTo("checkout");
        assertThat(alert.getTeam()).isEqualTo("web");
        assertThat(alert.getTitle()).isEqualTo("p99 over 2s");
        assertThat(alert.getResource()).isEqualTo("alb:checkout");
        assertThat(alert.getPlaybook()).isEqualTo("restart-ecs-service");
        assertThat(alert.getLabels()).containsEntry("env", "prod").containsEntry("retries", "3");
        assertThat(alert.getOccurredAt()).isEqualTo(Instant.parse("2026-11-21T10:59:00Z"));
        assertThat(alert.getReceivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void onlyNameAndStateAreRequiredAndOccurredAtDefaultsToReceipt() {
        Alert alert = parse("{\"name\": \"x\", \"state\": \"resolved\"}").get(0);

        assertThat(alert.getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(alert.getSeverity()).isEqualTo(Severity.UNKNOWN);
        assertThat(alert.getOccurredAt()).isEqualTo(RECEIVED);
        assertThat(alert.getLabels()).isEmpty();
    }

    @Test
    void fingerprintIgnoresStateAndLabelOrderButNotIdentity() {
        List<Alert> alerts = parse("""
                [{"name": "a", "state": "firing", "service": "s", "labels": {"x": "1", "y": "2"}},
                 {"name": "a", "state": "resolved", "service": "s", "labels": {"y": "2", "x": "1"}, "summary": "other"},
                 {"name": "a", "state": "firing", "service": "s", "labels": {"x": "1", "y": "3"}}]
                """);

        assertThat(alerts.get(0).getFingerprint()).isEqualTo(alerts.get(1).getFingerprint()).hasSize(32);
        assertThat(alerts.get(2).getFingerprint()).isNotEqualTo(alerts.get(0).getFingerprint());
    }

    @Test
    void fingerprintTellsNameAndServiceApartWhenTheirTextRunsTogether() {
        List<Alert> alerts = parse("""
                [{"name": "ab", "state": "firing", "service": "c"}, {"name": "a", "state": "firing", "service": "bc"}]
                """);

        assertThat(alerts.get(0).getFingerprint()).isNotEqualTo(alerts.get(1).getFingerprint());
    }

    @Test
    void missingNameIsRefusedNamingTheField() {
        InvalidPayloadException e = failure(() -> parse("{\"state\": \"firing\"}"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("name");
    }

    @Test
    void unknownStateIsRefusedNamingTheField() {
        InvalidPayloadException e = failure(() -> parse("{\"name\": \"x\", \"state\": \"exploded\"}"));

        assertThat(e.field()).isEqualTo("state");
        assertThat(e.getMessage()).contains("firing").contains("resolved");
    }

    @Test
    void aBadAlertInABatchIsNamedByItsIndex() {
        InvalidPayloadException e = failure(() -> parse("""
                [{"name": "ok", "state": "firing"}, {"name": "bad", "state": "firing", "occurredAt": "yesterday"}]
                """));

        assertThat(e.field()).isEqualTo("[1].occurredAt");
    }

    @Test
    void unknownSeverityAndNonStringLabelsAreRefused() {
        assertThat(failure(() -> parse("{\"name\": \"x\", \"state\": \"firing\", \"severity\": \"apocalyptic\"}")).field())
                .isEqualTo("severity");
        assertThat(failure(() -> parse("{\"name\": \"x\", \"state\": \"firing\", \"labels\": {\"a\": {\"b\": 1}}}")).field())
                .isEqualTo("labels.a");
        assertThat(failure(() -> parse("{\"name\": 7, \"state\": \"firing\"}")).field()).isEqualTo("name");
    }

    @Test
    void timesOutsideTheYears1To9999AreRefusedNotFailedLater() {
        assertThat(failure(() -> parse("{\"name\": \"x\", \"state\": \"firing\", \"occurredAt\": \"+999999999-12-31T23:59:59Z\"}")).field())
                .isEqualTo("occurredAt");
        assertThat(failure(() -> parse("{\"name\": \"x\", \"state\": \"firing\", \"occurredAt\": 99999999999999999999}")).field())
                .isEqualTo("occurredAt");
        assertThat(parse("{\"name\": \"x\", \"state\": \"firing\", \"occurredAt\": 1763719200000}").get(0).getOccurredAt())
                .isEqualTo(Instant.ofEpochMilli(1763719200000L));
    }

    @Test
    void malformedJsonSaysWhereItBreaks() {
        InvalidPayloadException e = failure(() -> parse("{\"name\": \"x\", "));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("malformed JSON at line 1");
    }

    @Test
    void emptyBodiesArraysAndScalarsAreRefused() {
        assertThat(failure(() -> parse("")).status()).isEqualTo(400);
        assertThat(failure(() -> parse("[]")).status()).isEqualTo(400);
        assertThat(failure(() -> parse("42")).status()).isEqualTo(400);
    }

    @Test
    void aBatchOverTheLimitIsTooLarge() {
        InvalidPayloadException e = failure(() -> parse("""
                [{"name":"a","state":"firing"},{"name":"b","state":"firing"},{"name":"c","state":"firing"},{"name":"d","state":"firing"}]
                """));

        assertThat(e.status()).isEqualTo(413);
    }
}
