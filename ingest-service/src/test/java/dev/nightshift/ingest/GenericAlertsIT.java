package dev.nightshift.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.RejectedAlert;
import dev.nightshift.schema.Severity;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The generic endpoint against the real broker and registry: what a sender sees and what lands on the topics. */
@WithKafkaStack
class GenericAlertsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static IngestTestServer ingest;

    @BeforeAll
    static void start(KafkaStack stack) {
        ingest = IngestTestServer.start(stack, Map.of());
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void oneAlertIsAcknowledgedAndLandsOnAlertsRawKeyedByFingerprint() throws Exception {
        HttpResponse<String> response = ingest.postAuthorized("/v1/alerts", """
                {"name": "OrdersTableThrottled", "state": "firing", "severity": "critical", "service": "orders",
                 "team": "payments", "summary": "reads throttled", "resource": "dynamodb:table/orders-eu",
                 "labels": {"env": "prod", "region": "eu-west-1"}, "playbook": "scale-dynamodb",
                 "occurredAt": "2026-11-21T10:15:30Z"}
                """);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        assertThat(body.get("alerts").get(0).get("status").asText()).isEqualTo("accepted");
        String alertId = body.get("alertIds").get(0).asText();
        try (TopicReader<Alert> reader = ingest.alerts()) {
            TopicReader.Read<Alert> read = reader.awaitAtLeast(1).stream()
                    .filter(r -> r.value().getAlertId().equals(alertId)).findFirst().orElseThrow();
            Alert alert = read.value();
            assertThat(read.key()).isEqualTo(alert.getFingerprint());
            assertThat(alert.getSource()).isEqualTo(AlertSource.GENERIC);
            assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
            assertThat(alert.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(alert.getName()).isEqualTo("OrdersTableThrottled");
            assertThat(alert.getService()).isEqualTo("orders");
            assertThat(alert.getTeam()).isEqualTo("payments");
            assertThat(alert.getTitle()).isEqualTo("reads throttled");
            assertThat(alert.getResource()).isEqualTo("dynamodb:table/orders-eu");
            assertThat(alert.getPlaybook()).isEqualTo("scale-dynamodb");
            assertThat(alert.getLabels()).containsEntry("env", "prod").containsEntry("region", "eu-west-1");
            assertThat(alert.getOccurredAt()).isEqualTo(Instant.parse("2026-11-21T10:15:30Z"));
            assertThat(body.get("alerts").get(0).get("fingerprint").asText()).isEqualTo(alert.getFingerprint());
        }
    }

    @Test
    void aBatchIsAcknowledgedWithOneIdPerAlertAndFiringAndResolvedShareAFingerprint() throws Exception {
        HttpResponse<String> response = ingest.postAuthorized("/v1/alerts", """
                [{"name": "DiskFull", "state": "firing", "service": "db", "resource": "host-7"},
                 {"name": "DiskFull", "state": "resolved", "service": "db", "resource": "host-7"},
                 {"name": "DiskFull", "state": "firing", "service": "db", "resource": "host-8"}]
                """);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("accepted").asInt()).isEqualTo(3);
        List<String> ids = List.of(body.get("alertIds").get(0).asText(), body.get("alertIds").get(1).asText(),
                body.get("alertIds").get(2).asText());
        try (TopicReader<Alert> reader = ingest.alerts()) {
            reader.awaitAtLeast(1);
            List<Alert> mine = org.awaitility.Awaitility.await().until(
                    () -> reader.readNow().stream().map(TopicReader.Read::value).filter(a -> ids.contains(a.getAlertId())).toList(),
                    list -> list.size() == 3);
            Map<String, Alert> byId = new java.util.HashMap<>();
            mine.forEach(a -> byId.put(a.getAlertId(), a));
            assertThat(byId.get(ids.get(0)).getFingerprint()).isEqualTo(byId.get(ids.get(1)).getFingerprint());
            assertThat(byId.get(ids.get(1)).getState()).isEqualTo(AlertState.RESOLVED);
            assertThat(byId.get(ids.get(2)).getFingerprint()).isNotEqualTo(byId.get(ids.get(0)).getFingerprint());
        }
    }

    @Test
    void aMissingKeyGets401WithoutDetailAndNothingIsKept() throws Exception {
        HttpResponse<String> none = ingest.postJson("/v1/alerts", "{\"name\":\"x\",\"state\":\"firing\"}");
        HttpResponse<String> wrong = ingest.postJson("/v1/alerts", "{\"name\":\"x\",\"state\":\"firing\"}",
                "Authorization", "Bearer not-the-key");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).fieldNames()).toIterable().containsExactly("error");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @Test
    void aMissingStateGets400NamingTheFieldAndThePayloadIsKeptOnTheRejectedTopic() throws Exception {
        String payload = "{\"name\": \"NoStateHere-" + java.util.UUID.randomUUID() + "\"}";
        HttpResponse<String> response = ingest.postAuthorized("/v1/alerts", payload);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("field").asText()).isEqualTo("state");
        assertThat(error.get("message").asText()).contains("state");
        try (TopicReader<RejectedAlert> reader = ingest.rejected()) {
            RejectedAlert rejected = org.awaitility.Awaitility.await().until(() -> reader.readNow().stream()
                    .map(TopicReader.Read::value)
                    .filter(r -> StandardCharsets.UTF_8.decode(r.getPayload().duplicate()).toString().equals(payload))
                    .findFirst().orElse(null), r -> r != null);
            assertThat(rejected.getSource()).isEqualTo("generic");
            assertThat(rejected.getHttpStatus()).isEqualTo(400);
            assertThat(rejected.getReason()).contains("state");
        }
    }

    @Test
    void aMalformedBodyGets400AndAJsonAnswerQuotingWhereItBroke() throws Exception {
        HttpResponse<String> response = ingest.postAuthorized("/v1/alerts", "{\"name\": \"a\",\n \"state\": 'firing'}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asText()).isEqualTo("bad_request");
        // Jackson's own words, quotes and all, come back as one JSON string
        assertThat(error.get("message").asText()).startsWith("malformed JSON at line 2, column")
                .contains("(''' (code 39))").contains("'null'");
    }

    @Test
    void prometheusCountsRequestsAndAcceptedAlertsBySource() {
        ingest.postAuthorized("/v1/alerts", "{\"name\":\"counted\",\"state\":\"firing\"}");

        String metrics = ingest.get("/prometheus").body();

        assertThat(metrics).contains("nightshift_ingest_alerts_accepted_total{source=\"generic\"")
                .contains("nightshift_ingest_requests_total{source=\"generic\",status=\"202\"");
    }

    @Test
    void healthReportsAlertsRawWritable() throws Exception {
        HttpResponse<String> health = ingest.get("/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).at("/details/alertsRaw/status").asText()).isEqualTo("UP");
    }
}
