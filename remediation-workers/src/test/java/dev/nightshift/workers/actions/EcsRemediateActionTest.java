package dev.nightshift.workers.actions;

import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ecs-remediate through the real SDK against a fake that checks the ECS JSON protocol on the wire. */
class EcsRemediateActionTest {
    static final String DESCRIBE = "AmazonEC2ContainerServiceV20141113.DescribeServices";
    static final String UPDATE = "AmazonEC2ContainerServiceV20141113.UpdateService";

    @RegisterExtension
    static final AwsFake aws = new AwsFake("ecs-remediate");

    private final EcsRemediateAction action = new EcsRemediateAction(aws.clients().ecs());

    /** A DescribeServices answer: the service's counts and its deployments (id, status, created at epoch seconds). */
    static String service(int running, int desired, String... deployments) {
        StringBuilder list = new StringBuilder();
        for (String deployment : deployments) {
            String[] parts = deployment.split(" ");
            list.append(list.length() == 0 ? "" : ",").append("""
                    {"id":"%s","status":"%s","createdAt":%s,"rolloutState":"%s","desiredCount":%d,"runningCount":%d,
                     "taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/checkout:7"}""".formatted(parts[0], parts[1], parts[2],
                    parts.length > 3 ? parts[3] : "IN_PROGRESS", desired, running));
        }
        return """
                {"services":[{"serviceName":"checkout","clusterArn":"arn:aws:ecs:eu-west-1:123456789012:cluster/prod","status":"ACTIVE",
                  "runningCount":%d,"desiredCount":%d,"deployments":[%s]}],"failures":[]}
                """.formatted(running, desired, list);
    }

    private static Steps remediate() {
        return Steps.of("ecs-remediate").resource("ecs:prod/checkout");
    }

    @Test
    void fewerThanHalfTheTasksRunningForcesANewDeployment() {
        aws.json(DESCRIBE, service(1, 4, "ecs-svc/111 PRIMARY 1796520000 COMPLETED"));
        aws.json(UPDATE, "{\"service\":" + service(1, 4, "ecs-svc/222 PRIMARY 1796526001", "ecs-svc/111 ACTIVE 1796520000 COMPLETED")
                .replaceFirst("^\\s*\\{\"services\":\\[", "").replaceFirst("],\"failures\":\\[]}\\s*$", "") + "}");

        ActionResult result = action.execute(remediate().step());

        assertThat(aws.calls()).containsExactly("ecs:DescribeServices", "ecs:UpdateService");
        assertThat(aws.bodies(DESCRIBE).get(0).toString()).isEqualTo("{\"cluster\":\"prod\",\"services\":[\"checkout\"]}");
        assertThat(aws.bodies(UPDATE).get(0).toString()).isEqualTo("{\"cluster\":\"prod\",\"service\":\"checkout\",\"forceNewDeployment\":true}");
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.results()).isEqualTo(Map.of("mode", "deployment", "runningCount", "1", "desiredCount", "4",
                "desiredCountAfter", "4", "deploymentId", "ecs-svc/222"));
        assertThat(result.summary()).isEqualTo("forced a new deployment of prod/checkout (1 of 4 desired tasks were running): ecs-svc/222");
    }

    @Test
    void halfOrMoreRunningRaisesTheDesiredCountByTheIncrement() {
        aws.json(DESCRIBE, service(4, 6, "ecs-svc/111 PRIMARY 1796520000 COMPLETED"));
        aws.json(UPDATE, "{\"service\":{\"serviceName\":\"checkout\",\"desiredCount\":9}}");

        ActionResult result = action.execute(Steps.of("ecs-remediate").with("cluster", "prod").with("service", "checkout")
                .with("increment", "3").step());

        assertThat(aws.bodies(UPDATE).get(0).toString()).isEqualTo("{\"cluster\":\"prod\",\"service\":\"checkout\",\"desiredCount\":9}");
        assertThat(result.results()).containsEntry("mode", "scale-out").containsEntry("desiredCount", "6")
                .containsEntry("desiredCountAfter", "9").containsEntry("runningCount", "4").containsEntry("deploymentId", "ecs-svc/111");
        assertThat(result.before()).isEqualTo(Map.of("runningCount", "4", "desiredCount", "6"));
        assertThat(result.after()).isEqualTo(Map.of("desiredCount", "9"));
        assertThat(result.summary()).isEqualTo("raised the desired count of prod/checkout from 6 to 9 (4 running)");
    }

    @Test
    void theScaleOutStopsAtTheMaximum() {
        aws.json(DESCRIBE, service(19, 19, "ecs-svc/111 PRIMARY 1796520000 COMPLETED"));
        aws.json(UPDATE, "{\"service\":{\"serviceName\":\"checkout\",\"desiredCount\":20}}");

        action.execute(remediate().step());
        assertThat(aws.bodies(UPDATE).get(0).path("desiredCount").asInt()).isEqualTo(20);
    }

    @Test
    void aServiceAtTheMaximumIsLeftAsItIs() {
        aws.json(DESCRIBE, service(20, 20, "ecs-svc/111 PRIMARY 1796520000 COMPLETED"));

        ActionResult result = action.execute(remediate().step());

        assertThat(aws.calls()).containsExactly("ecs:DescribeServices");
        assertThat(result.results()).containsEntry("mode", "none");
        assertThat(result.summary()).contains("nothing changed");
    }

    @Test
    void aServiceScaledToZeroOrMissingIsLeftToAPerson() {
        aws.json(DESCRIBE, service(0, 0, "ecs-svc/111 PRIMARY 1796520000 COMPLETED"));
        assertThat(action.execute(remediate().step()).status()).isEqualTo(OutcomeStatus.FAILED);

        aws.json(DESCRIBE, "{\"services\":[],\"failures\":[{\"arn\":\"arn:aws:ecs:eu-west-1:123456789012:service/prod/checkout\",\"reason\":\"MISSING\"}]}");
        ActionResult missing = action.execute(remediate().step());
        assertThat(missing.status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(missing.summary()).isEqualTo("ECS service prod/checkout was not found");
        assertThat(aws.calls()).doesNotContain("ecs:UpdateService");
    }

    @Test
    void thePlanSaysBothWaysWithoutCallingAws() {
        assertThat(action.plan(Steps.of("ecs-remediate").resource("arn:aws:ecs:eu-west-1:123456789012:service/prod/checkout").step()))
                .isEqualTo("force a new deployment of ECS service prod/checkout if fewer than half of its desired tasks run, "
                        + "else raise its desired count by 2 (to at most 20)");
        assertThatThrownBy(() -> action.plan(Steps.of("ecs-remediate").resource("ecs:checkout").step()))
                .isInstanceOf(Step.InvalidStepException.class).hasMessageContaining("ecs:CLUSTER/SERVICE");
        assertThatThrownBy(() -> action.plan(remediate().with("increment", "0").step())).isInstanceOf(Step.InvalidStepException.class);
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void aDeploymentCreatedAfterTheStepStartedProvesItDone() {
        aws.json(DESCRIBE, service(1, 4, "ecs-svc/222 PRIMARY 1796526001", "ecs-svc/111 ACTIVE 1796520000 COMPLETED"));

        Optional<ActionResult> recovered = action.recover(remediate().startedAt("2026-12-06T03:00:00Z").step());

        assertThat(aws.calls()).containsExactly("ecs:DescribeServices");
        assertThat(recovered).hasValueSatisfying(result -> {
            assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
            assertThat(result.results()).containsEntry("mode", "deployment").containsEntry("deploymentId", "ecs-svc/222");
        });
    }

    @Test
    void aDesiredCountAtTheMaximumProvesTheScaleOut() {
        aws.json(DESCRIBE, service(18, 20, "ecs-svc/111 PRIMARY 1796520000 COMPLETED"));

        assertThat(action.recover(remediate().startedAt("2026-12-06T03:00:00Z").step()))
                .hasValueSatisfying(result -> assertThat(result.results()).containsEntry("mode", "scale-out")
                        .containsEntry("desiredCountAfter", "20").doesNotContainKey("desiredCount"));
    }

    @Test
    void noNewDeploymentAndRoomToGrowProvesNothing() {
        aws.json(DESCRIBE, service(4, 6, "ecs-svc/111 PRIMARY 1796520000 COMPLETED"));

        assertThat(action.recover(remediate().startedAt("2026-12-06T03:00:00Z").step())).isEmpty();
    }
}
