package dev.nightshift.triage.ownership;

import dev.nightshift.triage.testing.Alerts;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceIdsTest {
    @Test
    void anArnAndTheSameTableAmongTheDimensionsGiveEachIdOnceInOrder() {
        var alert = Alerts.firing("fp", "throttled").setResource("arn:aws:dynamodb:eu-west-1:123456789012:table/orders-eu")
                .setLabels(Map.of("TableName", "orders-eu")).build();

        assertThat(ResourceIds.of(alert)).containsExactly("dynamodb:table/orders-eu", "dynamodb:orders-eu");
    }

    @Test
    void kindColonNameAndTheCloudWatchDimensions() {
        var alert = Alerts.firing("fp", "unhealthy").setResource("ecs:payments/api")
                .setLabels(Map.of("ClusterName", "payments", "ServiceName", "api", "FunctionName", "resize")).build();

        assertThat(ResourceIds.of(alert)).containsExactly("ecs:payments/api", "lambda:resize");
    }

    @Test
    void noResourceAndNoKnownDimensionGiveNone() {
        var alert = Alerts.firing("fp", "disk full").setResource("   ").setLabels(Map.of("env", "prod")).build();

        assertThat(ResourceIds.of(alert)).isEmpty();
    }
}
