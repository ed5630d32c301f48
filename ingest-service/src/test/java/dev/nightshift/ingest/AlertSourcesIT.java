package dev.nightshift.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.ingest.auth.ApiKeys;
import dev.nightshift.ingest.sns.FakeSns;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.RejectedAlert;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every source endpoint over HTTP against the real broker and registry: authentication per source,
 * what lands on alerts.raw, and what is refused and kept on alerts.rejected.
 */
@WithKafkaStack
class AlertSourcesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATADOG_OLD_KEY = "dd-old-" + UUID.randomUUID();
    private static final String DATADOG_NEW_KEY = "dd-new-" + UUID.randomUUID();
    private static final String ALERTMANAGER_KEY = "am-" + UUID.randomUUID();
    private static final String CLOUDWATCH_KEY = "cw-" + UUID.randomUUID();
    /** The default: a body under it can still make an alert over the producer's 1 MiB once normalized. */
    private static final int MAX_BODY = 1024 * 1024;

    private static FakeSns sns;
    private static IngestTestServer ingest;
    private static TopicReader<Alert> alerts;
    private static TopicReader<RejectedAlert> rejected;

    @BeforeAll
    static void start(KafkaStack stack) {
        sns = FakeSns.start();
        ingest = IngestTestServer.start(stack, Map.of(
                "nightshift.ingest.sources.datadog.key-sha256", List.of(ApiKeys.sha256Hex(DATADOG_OLD_KEY), ApiKeys.sha256Hex(DATADOG_NEW_KEY)),
                "nightshift.ingest.sources.alertmanager.key-sha256", ApiKeys.sha256Hex(ALERTMANAGER_KEY),
                "nightshift.ingest.sources.cloudwatch.key-sha256", ApiKeys.sha256Hex(CLOUDWATCH_KEY),
                "nightshift.ingest.sns.topic-arn-allowlist", List.of(FakeSns.TOPIC_ARN),
                "nightshift.ingest.sns.signing-cert-url-pattern", sns.certificateUrlPattern(),
                "nightshift.ingest.sns.subscribe-url-pattern", sns.subscribeUrlPattern(),
                "nightshift.ingest.max-body-size", MAX_BODY,
                "nightshift.ingest.rejected-payload-cap", 1024));
        alerts = ingest.alerts();
        rejected = ingest.rejected();
    }

    @AfterAll
    static void stop() {
        if (alerts != null) {
            alerts.close();
            rejected.close();
        }
        if (ingest != null) {
            ingest.close();
        }
        if (sns != null) {
            sns.close();
        }
    }

    private static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString(("sns:" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> alertIds(HttpResponse<String> response) throws Exception {
        JsonNode ids = JSON.readTree(response.body()).get("alertIds");
        return java.util.stream.StreamSupport.stream(ids.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<Alert> awaitAlerts(List<String> ids) {
        return await().until(() -> alerts.readNow().stream().map(TopicReader.Read::value)
                .filter(a -> ids.contains(a.getAlertId())).toList(), list -> list.size() == ids.size());
    }

    private static RejectedAlert awaitRejected(String marker) {
        return await().until(() -> rejected.readNow().stream().map(TopicReader.Read::value)
                .filter(r -> StandardCharsets.UTF_8.decode(r.getPayload().duplicate()).toString().contains(marker))
                .findFirst().orElse(null), r -> r != null);
    }

    private static boolean hasRejected(String marker) {
        return rejected.readNow().stream().map(TopicReader.Read::value)
                .anyMatch(r -> StandardCharsets.UTF_8.decode(r.getPayload().duplicate()).toString().contains(marker));
    }

    @Test
    void aSignedSnsAlarmNotificationWithBasicAuthLandsOnAlertsRaw() throws Exception {
        String body = sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2").toString();

        HttpResponse<String> response = ingest.post("/v1/alerts/cloudwatch", "text/plain; charset=UTF-8",
                body.getBytes(StandardCharsets.UTF_8), "x-amz-sns-message-type", "Notification",
                "Authorization", basic(CLOUDWATCH_KEY));

        assertThat(response.statusCode()).isEqualTo(202);
        Alert alert = awaitAlerts(alertIds(response)).get(0);
        assertThat(alert.getSource()).isEqualTo(AlertSource.CLOUDWATCH);
        assertThat(alert.getName()).isEqualTo("orders-read-throttle");
        assertThat(alert.getResource()).isEqualTo("dynamodb:table/orders-eu");
    }

    @Test
    void anSnsRequestWithoutCredentialsIsChallengedForBasicAuth() {
        HttpResponse<String> response = ingest.post("/v1/alerts/cloudwatch", "text/plain; charset=UTF-8",
                sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2").toString().getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("Basic"));
    }

    @Test
    void anSnsSubscriptionConfirmationIsConfirmed() throws Exception {
        var confirmation = sns.subscriptionConfirmation(FakeSns.TOPIC_ARN);

        HttpResponse<String> response = ingest.post("/v1/alerts/cloudwatch", "text/plain; charset=UTF-8",
                confirmation.toString().getBytes(StandardCharsets.UTF_8),
                "x-amz-sns-message-type", "SubscriptionConfirmation", "Authorization", basic(CLOUDWATCH_KEY));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(sns.confirmations()).anyMatch(q -> q.contains(confirmation.get("Token").asText()));
    }

    @Test
    void aForgedSnsMessageGets403AndIsKeptAsRejected() throws Exception {
        String marker = "forged-" + UUID.randomUUID();
        var message = sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK").replace("orders-read-throttle", marker), "2");
        message.put("Subject", "tampered after signing");

        HttpResponse<String> response = ingest.post("/v1/alerts/cloudwatch", "text/plain", message.toString().getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + CLOUDWATCH_KEY);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).get("message").asText()).contains("signature");
        RejectedAlert kept = awaitRejected(marker);
        assertThat(kept.getSource()).isEqualTo("cloudwatch");
        assertThat(kept.getHttpStatus()).isEqualTo(403);
        assertThat(kept.getReason()).contains("signature");
    }

    @Test
    void anEventBridgeAlarmEventLandsOnAlertsRaw() throws Exception {
        HttpResponse<String> response = ingest.postJson("/v1/alerts/cloudwatch", Payloads.eventBridgeCompositeAlarm(),
                "Authorization", "Bearer " + CLOUDWATCH_KEY);

        assertThat(response.statusCode()).isEqualTo(202);
        Alert alert = awaitAlerts(alertIds(response)).get(0);
        assertThat(alert.getName()).isEqualTo("ServiceAggregatedAlarm");
        assertThat(alert.getAnnotations()).containsEntry("alarmType", "composite");
    }

    @Test
    void datadogWithEitherRotatedKeyInTheCustomHeaderLandsOnAlertsRaw() throws Exception {
        HttpResponse<String> old = ingest.postJson("/v1/alerts/datadog", Payloads.datadogTemplate("Triggered", "error", "P2"),
                "X-Nightshift-Api-Key", DATADOG_OLD_KEY);
        HttpResponse<String> fresh = ingest.postJson("/v1/alerts/datadog", Payloads.datadogTemplate("Recovered", "success", "P2"),
                "X-Nightshift-Api-Key", DATADOG_NEW_KEY);

        assertThat(old.statusCode()).isEqualTo(202);
        assertThat(fresh.statusCode()).isEqualTo(202);
        List<Alert> landed = awaitAlerts(List.of(alertIds(old).get(0), alertIds(fresh).get(0)));
        assertThat(landed).extracting(Alert::getState).containsExactlyInAnyOrder(AlertState.FIRING, AlertState.RESOLVED);
        assertThat(landed.get(0).getFingerprint()).isEqualTo(landed.get(1).getFingerprint());
    }

    @Test
    void aSourceKeyIsRefusedByTheOtherSources() {
        HttpResponse<String> response = ingest.postJson("/v1/alerts/alertmanager", Payloads.alertmanagerWebhook(),
                "Authorization", "Bearer " + DATADOG_NEW_KEY);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"unauthorized\"}");
    }

    @Test
    void anAlertmanagerWebhookBecomesOneAlertPerEntry() throws Exception {
        HttpResponse<String> response = ingest.postJson("/v1/alerts/alertmanager", Payloads.alertmanagerWebhook(),
                "Authorization", "Bearer " + ALERTMANAGER_KEY);

        assertThat(response.statusCode()).isEqualTo(202);
        List<Alert> landed = awaitAlerts(alertIds(response));
        assertThat(landed).extracting(Alert::getSourceId).containsExactlyInAnyOrder("c6a3b1f2d4e5a6b7", "d7b4c2a3e5f6b7c8");
    }

    @Test
    void aWrongContentTypeGets415AndIsKept() throws Exception {
        String marker = "form-" + UUID.randomUUID();

        HttpResponse<String> response = ingest.post("/v1/alerts", "application/x-www-form-urlencoded",
                ("name=" + marker + "&state=firing").getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + ingest.apiKey);

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(response.body()).get("message").asText()).contains("application/json");
        assertThat(awaitRejected(marker).getHttpStatus()).isEqualTo(415);
    }

    @Test
    void aBodyOverTheLimitGets413AndIsKeptTruncated() throws Exception {
        String marker = "big-" + UUID.randomUUID();
        String body = "{\"name\":\"" + marker + "\",\"state\":\"firing\",\"summary\":\"" + "x".repeat(MAX_BODY) + "\"}";

        HttpResponse<String> response = ingest.postAuthorized("/v1/alerts", body);

        assertThat(response.statusCode()).isEqualTo(413);
        RejectedAlert kept = awaitRejected(marker);
        assertThat(kept.getPayloadSize()).isEqualTo(body.length());
        assertThat(kept.getTruncated()).isTrue();
        assertThat(kept.getPayload().remaining()).isEqualTo(1024);
    }

    @Test
    void aDatadogAlertTooLargeOnceNormalizedGets413AndIsKept() throws Exception {
        String marker = "huge-" + UUID.randomUUID();
        // about 600 KB, under the body limit; the title is kept as both name and title, so over 1 MiB as an alert
        String body = "{\"alert_id\":\"" + marker + "\",\"alert_transition\":\"Triggered\",\"title\":\"Disk full on db-1 "
                + "x".repeat(600 * 1024) + "\"}";

        HttpResponse<String> response = ingest.postJson("/v1/alerts/datadog", body, "X-Nightshift-Api-Key", DATADOG_NEW_KEY);

        assertThat(response.statusCode()).isEqualTo(413);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asText()).isEqualTo("payload_too_large");
        assertThat(error.get("message").asText()).contains("once normalized").contains("over the limit of 1048576 bytes");
        RejectedAlert kept = awaitRejected(marker);
        assertThat(kept.getSource()).isEqualTo("datadog");
        assertThat(kept.getHttpStatus()).isEqualTo(413);
        assertThat(kept.getReason()).isEqualTo(error.get("message").asText());
        assertThat(kept.getPayloadSize()).isEqualTo(body.length());
        assertThat(kept.getTruncated()).isTrue();
        assertThat(kept.getPayload().remaining()).isEqualTo(1024);
        assertThat(alerts.readNow()).noneMatch(r -> marker.equals(r.value().getSourceId()));
    }

    @Test
    void anEmptyAlertmanagerWebhookGets400AndIsKept() throws Exception {
        String marker = "empty-" + UUID.randomUUID();

        HttpResponse<String> response = ingest.postJson("/v1/alerts/alertmanager",
                "{\"version\":\"4\",\"receiver\":\"" + marker + "\",\"status\":\"firing\",\"alerts\":[]}",
                "Authorization", "Bearer " + ALERTMANAGER_KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("field").asText()).isEqualTo("alerts");
        assertThat(error.get("message").asText()).contains("empty");
        RejectedAlert kept = awaitRejected(marker);
        assertThat(kept.getSource()).isEqualTo("alertmanager");
        assertThat(kept.getHttpStatus()).isEqualTo(400);
    }

    @Test
    void malformedJsonGets400WithoutAStackTraceAndIsKept() throws Exception {
        String marker = "broken-" + UUID.randomUUID();

        HttpResponse<String> response = ingest.postAuthorized("/v1/alerts/datadog", "{\"title\": \"" + marker + "\", ");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asText()).isEqualTo("bad_request");
        assertThat(error.get("message").asText()).startsWith("malformed JSON").doesNotContain("at com.").doesNotContain("Exception");
        assertThat(awaitRejected(marker).getSource()).isEqualTo("datadog");
    }

    @Test
    void aFailedAuthenticationIsNotKept() throws Exception {
        String unauthenticated = "anon-" + UUID.randomUUID();
        String later = "later-" + UUID.randomUUID();

        assertThat(ingest.postJson("/v1/alerts", "{\"name\":\"" + unauthenticated + "\"}", "Authorization", "Bearer nope")
                .statusCode()).isEqualTo(401);
        assertThat(ingest.postAuthorized("/v1/alerts", "{\"name\":\"" + later + "\"}").statusCode()).isEqualTo(400);

        awaitRejected(later);
        assertThat(hasRejected(unauthenticated)).isFalse();
    }

    @Test
    void theGlobalKeyWorksAsBasicAuthOnEveryEndpoint() {
        HttpResponse<String> response = ingest.postJson("/v1/alerts", "{\"name\":\"basic\",\"state\":\"firing\"}",
                "Authorization", basic(ingest.apiKey));

        assertThat(response.statusCode()).isEqualTo(202);
    }
}
