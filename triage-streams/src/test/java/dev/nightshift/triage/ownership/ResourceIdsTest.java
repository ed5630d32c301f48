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
    void loadBalancerAndAutoScalingGroupArnsGiveTheIdsTheirDimensionsGive() {
        var elb = Alerts.firing("fp", "5xx").setResource(
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/checkout/50dc6c495c0c9188").build();
        var asg = Alerts.firing("fp", "capacity").setResource("arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:"
                + "8f3e1b2c-0d4a-4e5f-9a6b-7c8d9e0f1a2b:autoScalingGroupName/web-1").build();

        assertThat(ResourceIds.of(elb)).contains("elb:app/checkout/50dc6c495c0c9188");
        assertThat(ResourceIds.of(asg)).contains("asg:web-1");
        var byDimension = Alerts.firing("fp", "5xx").setLabels(Map.of("LoadBalancer", "app/checkout/50dc6c495c0c9188")).build();
        assertThat(ResourceIds.of(byDimension)).containsExactly("elb:app/checkout/50dc6c495c0c9188");
    }

    @Test
    void theDimensionsAreFoundAmongManyLabelsToo() {
        Map<String, String> labels = new java.util.HashMap<>();
        for (int i = 0; i < 12; i++) {
            labels.put("label" + i, "value" + i);
        }
        labels.put("QueueName", "orders-dlq");
        labels.put("ClusterName", "payments");
        labels.put("ServiceName", "api");
        var alert = Alerts.firing("fp", "backlog").setLabels(labels).build();

        assertThat(ResourceIds.of(alert)).containsExactly("ecs:payments/api", "sqs:orders-dlq");
        labels.keySet().removeIf(key -> key.startsWith("label"));
        assertThat(ResourceIds.of(Alerts.firing("fp", "backlog").setLabels(labels).build()))
                .containsExactly("ecs:payments/api", "sqs:orders-dlq");
    }

    @Test
    void noResourceAndNoKnownDimensionGiveNone() {
        var alert = Alerts.firing("fp", "disk full").setResource("   ").setLabels(Map.of("env", "prod")).build();

        assertThat(ResourceIds.of(alert)).isEmpty();
    }
}
