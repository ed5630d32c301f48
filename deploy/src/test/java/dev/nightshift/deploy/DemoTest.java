package dev.nightshift.deploy;

import dev.nightshift.ingest.normalize.AlertDraft;
import dev.nightshift.ingest.normalize.CloudWatchAlarms;
import dev.nightshift.ingest.normalize.Json;
import dev.nightshift.schema.AlertState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTest {
    @Test
    void theLiveDemoRunsDynamodbScaleAloneLiveAndReachesNoAws() {
        Map<String, String> env = DemoAws.environment(true);

        assertThat(env).containsEntry("WORKERS_DRY_RUN", "false").containsEntry("AWS_REGION", DemoAws.REGION)
                .containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:1").containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
                .doesNotContainKey("AWS_ENDPOINT_URL_DYNAMODB");   // the stack sets it, to the dynalite it started
        assertThat(Arrays.asList(env.get("WORKERS_DRY_RUN_ACTIONS").split(",")))
                .containsExactlyInAnyOrderElementsOf(DemoAws.actions().keySet().stream().filter(a -> !a.equals("dynamodb-scale")).toList())
                .contains("cloudwatch-metrics", "ecs-remediate", "waf-block-ip");
    }

    @Test
    void withoutDynaliteEveryActionStaysInDryRun() {
        assertThat(DemoAws.environment(false)).containsEntry("WORKERS_DRY_RUN", "true").doesNotContainKey("WORKERS_DRY_RUN_ACTIONS")
                .containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
    }

    @Test
    void theAlarmIsAReadThrottlingAlarmAsEventBridgeDeliversIt() {
        Instant at = Instant.parse("2026-12-06T03:00:00Z");

        AlertDraft alarm = CloudWatchAlarms.fromEventBridge(Json.parse(
                DemoScript.alarmEvent("orders-demo-ab12", "ALARM", at).getBytes(StandardCharsets.UTF_8)), "");
        AlertDraft cleared = CloudWatchAlarms.fromEventBridge(Json.parse(
                DemoScript.alarmEvent("orders-demo-ab12", "OK", at.plusSeconds(5)).getBytes(StandardCharsets.UTF_8)), "");

        assertThat(alarm.name).isEqualTo("orders-demo-ab12-read-throttle");
        assertThat(alarm.state).isEqualTo(AlertState.FIRING);
        assertThat(alarm.metricNamespace).isEqualTo("AWS/DynamoDB");
        assertThat(alarm.metricName).isEqualTo("ReadThrottleEvents");
        assertThat(alarm.labels).containsExactly(Map.entry("TableName", "orders-demo-ab12"));
        assertThat(alarm.resource).isEqualTo("dynamodb:table/orders-demo-ab12");
        assertThat(alarm.region).as("the workers refuse a resource of another region").isEqualTo(DemoAws.REGION);
        assertThat(alarm.occurredAt).isEqualTo(at);
        assertThat(cleared.state).isEqualTo(AlertState.RESOLVED);
        assertThat(cleared.fingerprint).as("the same alarm: one incident").isEqualTo(alarm.fingerprint);
    }

    @Test
    void eachRunNamesATableThatTheDemosOwnershipEntryCovers() {
        assertThat(DemoScript.newTableName()).matches("orders-demo-[a-z0-9]{4}");   // resources: [dynamodb:orders-demo*]
    }
}
