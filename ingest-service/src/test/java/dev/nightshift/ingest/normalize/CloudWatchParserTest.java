package dev.nightshift.ingest.normalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.ingest.IngestSource;
import dev.nightshift.ingest.Payloads;
import dev.nightshift.ingest.sns.FakeSns;
import dev.nightshift.ingest.sns.SigningCertificates;
import dev.nightshift.ingest.sns.SnsMessageVerifier;
import dev.nightshift.ingest.sns.SubscriptionConfirmer;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.nightshift.ingest.normalize.ParserTesting.alerts;
import static dev.nightshift.ingest.normalize.ParserTesting.delivery;
import static dev.nightshift.ingest.normalize.ParserTesting.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CloudWatch through SNS (signed with a test key and certificate served over local HTTP, verified
 * for real) and through EventBridge.
 */
class CloudWatchParserTest {
    private static FakeSns sns;
    private static FakeSns impostor;
    private SigningCertificates certificates;
    private CloudWatchParser parser;

    @BeforeAll
    static void startFakes() {
        sns = FakeSns.start();
        impostor = FakeSns.start();
    }

    @AfterAll
    static void stopFakes() {
        sns.close();
        impostor.close();
    }

    @BeforeEach
    void setUp() {
        certificates = new SigningCertificates(Duration.ofSeconds(5), Duration.ofHours(1), 8, Clock.systemUTC());
        parser = parser(List.of("arn:aws:sns:eu-west-1:123456789012:nightshift-*"));
    }

    private CloudWatchParser parser(List<String> allowlist) {
        return new CloudWatchParser(new SnsMessageVerifier(Pattern.compile(sns.certificateUrlPattern()), certificates,
                Duration.ofHours(1), Clock.systemUTC()),
                new SubscriptionConfirmer(Pattern.compile(sns.subscribeUrlPattern()), Duration.ofSeconds(5)),
                allowlist, ParserTesting.ids());
    }

    private ParseResult deliver(ObjectNode message) {
        return parser.parse(delivery(IngestSource.CLOUDWATCH, message.toString(),
                Map.of("x-amz-sns-message-type", message.path("Type").asText())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void aSignedAlarmNotificationIsNormalized(String signatureVersion) {
        Alert alert = alerts(deliver(sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), signatureVersion))).get(0);

        assertThat(alert.getSource()).isEqualTo(AlertSource.CLOUDWATCH);
        assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
        assertThat(alert.getName()).isEqualTo("orders-read-throttle");
        assertThat(alert.getAccount()).isEqualTo("123456789012");
        assertThat(alert.getRegion()).isEqualTo("eu-west-1");
        assertThat(alert.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.getService()).isEqualTo("orders");
        assertThat(alert.getTeam()).isEqualTo("payments");
        assertThat(alert.getPlaybook()).isEqualTo("scale-dynamodb");
        assertThat(alert.getResource()).isEqualTo("dynamodb:table/orders-eu");
        assertThat(alert.getMetricNamespace()).isEqualTo("AWS/DynamoDB");
        assertThat(alert.getMetricName()).isEqualTo("ReadThrottleEvents");
        assertThat(alert.getLabels()).containsEntry("TableName", "orders-eu");
        assertThat(alert.getAnnotations()).containsEntry("threshold", "100.0").containsEntry("previousState", "OK");
        assertThat(alert.getDescription()).startsWith("Threshold Crossed");
        assertThat(alert.getSourceId()).isEqualTo("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:orders-read-throttle");
        assertThat(alert.getLink()).contains("eu-west-1.console.aws.amazon.com/cloudwatch").endsWith("alarm/orders-read-throttle");
        assertThat(alert.getOccurredAt()).isEqualTo(Instant.parse("2026-11-21T10:15:30.123Z"));
    }

    @Test
    void okResolvesAndInsufficientDataIsNoDataWithTheSameFingerprint() {
        Alert alarm = alerts(deliver(sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2"))).get(0);
        Alert ok = alerts(deliver(sns.notification(Payloads.cloudWatchAlarm("OK", "ALARM"), "2"))).get(0);
        Alert noData = alerts(deliver(sns.notification(Payloads.cloudWatchAlarm("INSUFFICIENT_DATA", "OK"), "2"))).get(0);

        assertThat(ok.getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(noData.getState()).isEqualTo(AlertState.NO_DATA);
        assertThat(ok.getFingerprint()).isEqualTo(alarm.getFingerprint()).isEqualTo(noData.getFingerprint());
    }

    @Test
    void aMetricMathAlarmTakesItsMetricAndResourceFromTheFirstMetricStat() {
        Alert alert = alerts(deliver(sns.notification(Payloads.cloudWatchMetricMathAlarm(), "2"))).get(0);

        assertThat(alert.getMetricNamespace()).isEqualTo("AWS/ApplicationELB");
        assertThat(alert.getMetricName()).isEqualTo("HTTPCode_Target_5XX_Count");
        assertThat(alert.getResource()).isEqualTo("elb:loadbalancer/app/checkout/50dc6c495c0c9188");
        assertThat(alert.getAnnotations()).containsEntry("expression", "100*errors/requests");
        assertThat(alert.getRegion()).isEqualTo("us-east-1");
    }

    @Test
    void aTamperedMessageIsRejected() {
        ObjectNode message = sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2");
        message.put("Message", Payloads.cloudWatchAlarm("OK", "ALARM"));

        InvalidPayloadException e = refusal(() -> deliver(message));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).contains("signature does not verify");
    }

    @Test
    void forgedSignatureIsRejected() {
        ObjectNode forged = impostor.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2");
        forged.put("SigningCertURL", sns.certificateUrl());

        assertThat(refusal(() -> deliver(forged)).status()).isEqualTo(403);
    }

    @Test
    void aCertificateUrlOffThePatternIsRejectedWithoutBeingFetched() {
        int fetches = impostor.certificateFetches();
        ObjectNode message = impostor.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2");

        InvalidPayloadException e = refusal(() -> deliver(message));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).contains("SigningCertURL is not on the allowed pattern");
        assertThat(impostor.certificateFetches()).isEqualTo(fetches);
    }

    @Test
    void anUnsignedMessageOrUnknownSignatureVersionIsRejected() {
        ObjectNode unsigned = sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2");
        unsigned.remove("Signature");
        ObjectNode version3 = sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2");
        version3.put("SignatureVersion", "3");

        assertThat(refusal(() -> deliver(unsigned)).status()).isEqualTo(403);
        assertThat(refusal(() -> deliver(version3)).getMessage()).contains("SignatureVersion");
    }

    @Test
    void aReplayedOldMessageIsRejectedEvenWithAValidSignature() {
        ObjectNode old = sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2");
        old.put("Timestamp", java.time.Instant.now().minus(Duration.ofHours(2)).toString());
        sns.sign(old);

        InvalidPayloadException e = refusal(() -> deliver(old));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).contains("Timestamp");
    }

    @Test
    void theSigningCertificateIsFetchedOnceAndCached() {
        int before = sns.certificateFetches();
        deliver(sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2"));
        deliver(sns.notification(Payloads.cloudWatchAlarm("OK", "ALARM"), "1"));

        assertThat(sns.certificateFetches() - before).isEqualTo(1);
        assertThat(certificates.cached()).isEqualTo(1);
    }

    @Test
    void aSubscriptionToAnAllowedTopicIsConfirmedByVisitingTheSubscribeUrl() {
        ObjectNode confirmation = sns.subscriptionConfirmation(FakeSns.TOPIC_ARN);

        ParseResult result = deliver(confirmation);

        assertThat(result).isInstanceOf(ParseResult.Acknowledged.class);
        assertThat(sns.confirmations()).anyMatch(q -> q.contains("Token=" + confirmation.get("Token").asText()));
    }

    @Test
    void aSubscriptionToATopicOffTheAllowlistIsRefusedAndNotConfirmed() {
        ObjectNode confirmation = sns.subscriptionConfirmation("arn:aws:sns:eu-west-1:999999999999:someone-else");

        InvalidPayloadException e = refusal(() -> deliver(confirmation));

        assertThat(e.status()).isEqualTo(403);
        assertThat(sns.confirmations()).noneMatch(q -> q.contains(confirmation.get("Token").asText()));
    }

    @Test
    void aSubscribeUrlOffThePatternIsNotVisited() {
        ObjectNode confirmation = sns.subscriptionConfirmation(FakeSns.TOPIC_ARN);
        confirmation.put("SubscribeURL", "http://169.254.169.254/latest/meta-data/");
        sns.sign(confirmation);

        assertThat(refusal(() -> deliver(confirmation)).status()).isEqualTo(403);
    }

    @Test
    void notificationsFromATopicOffTheAllowlistAreRefused() {
        CloudWatchParser strict = parser(List.of("arn:aws:sns:eu-west-1:123456789012:other-topic"));
        ObjectNode message = sns.notification(Payloads.cloudWatchAlarm("ALARM", "OK"), "2");

        InvalidPayloadException e = refusal(() -> strict.parse(delivery(IngestSource.CLOUDWATCH, message.toString(), Map.of())));
        assertThat(e.status()).isEqualTo(403);
    }

    @Test
    void anUnsubscribeConfirmationIsAcknowledged() {
        ObjectNode message = sns.subscriptionConfirmation(FakeSns.TOPIC_ARN);
        message.put("Type", "UnsubscribeConfirmation");
        sns.sign(message);

        assertThat(deliver(message)).isInstanceOf(ParseResult.Acknowledged.class);
    }

    @Test
    void anEventBridgeMetricAlarmIsNormalized() {
        Alert alert = alerts(parser.parse(delivery(IngestSource.CLOUDWATCH, Payloads.eventBridgeMetricAlarm("ALARM"), Map.of()))).get(0);

        assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
        assertThat(alert.getName()).isEqualTo("ServerCpuTooHigh");
        assertThat(alert.getAccount()).isEqualTo("123456789012");
        assertThat(alert.getRegion()).isEqualTo("us-east-1");
        assertThat(alert.getResource()).isEqualTo("ec2:instance/i-12345678901234567");
        assertThat(alert.getMetricName()).isEqualTo("CPUUtilization");
        assertThat(alert.getTeam()).isEqualTo("platform");
        assertThat(alert.getAnnotations()).containsEntry("alarmType", "metric").containsEntry("previousState", "OK");
        assertThat(alert.getOccurredAt()).isEqualTo(Instant.parse("2026-11-21T17:04:40.989Z"));
        Alert ok = alerts(parser.parse(delivery(IngestSource.CLOUDWATCH, Payloads.eventBridgeMetricAlarm("OK"), Map.of()))).get(0);
        assertThat(ok.getState()).isEqualTo(AlertState.RESOLVED);
        assertThat(ok.getFingerprint()).isEqualTo(alert.getFingerprint());
    }

    @Test
    void anEventBridgeCompositeAlarmKeepsItsRule() {
        Alert alert = alerts(parser.parse(delivery(IngestSource.CLOUDWATCH, Payloads.eventBridgeCompositeAlarm(), Map.of()))).get(0);

        assertThat(alert.getName()).isEqualTo("ServiceAggregatedAlarm");
        assertThat(alert.getState()).isEqualTo(AlertState.FIRING);
        assertThat(alert.getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(alert.getService()).isEqualTo("web");
        assertThat(alert.getAnnotations()).containsEntry("alarmType", "composite")
                .containsEntry("alarmRule", "ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)");
        assertThat(alert.getResource()).isEqualTo("cloudwatch:alarm/ServiceAggregatedAlarm");
    }

    @Test
    void anSnsNotificationCarryingAnEventBridgeEventIsNormalized() {
        Alert alert = alerts(deliver(sns.notification(Payloads.eventBridgeMetricAlarm("ALARM"), "2"))).get(0);

        assertThat(alert.getName()).isEqualTo("ServerCpuTooHigh");
    }

    @Test
    void otherEventBridgeEventsAndUnknownStatesAreRefusedNamingTheField() {
        String ec2 = Payloads.eventBridgeMetricAlarm("ALARM").replace("CloudWatch Alarm State Change", "EC2 Instance State-change Notification");
        String weird = Payloads.eventBridgeMetricAlarm("ON_FIRE");

        assertThat(refusal(() -> parser.parse(delivery(IngestSource.CLOUDWATCH, ec2, Map.of()))).field()).isEqualTo("detail-type");
        assertThat(refusal(() -> parser.parse(delivery(IngestSource.CLOUDWATCH, weird, Map.of()))).field()).isEqualTo("detail.state.value");
    }

    @Test
    void aBodyThatIsNeitherSnsNorEventBridgeIsRefused() {
        assertThat(refusal(() -> parser.parse(delivery(IngestSource.CLOUDWATCH, "{\"hello\":1}", Map.of()))).status()).isEqualTo(400);
    }
}
