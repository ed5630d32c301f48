package dev.nightshift.workers.actions;

import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static dev.nightshift.workers.actions.EcsRemediateActionTest.DESCRIBE;
import static dev.nightshift.workers.actions.EcsRemediateActionTest.service;
import static org.assertj.core.api.Assertions.assertThat;

/** ecs-wait-stable: WAITING until the rollout completes, then SUCCEEDED, or FAILED when it failed. */
class EcsWaitStableActionTest {
    @RegisterExtension
    static final AwsFake aws = new AwsFake("ecs-wait-stable");

    private final EcsWaitStableAction action = new EcsWaitStableAction(aws.clients().ecs(),
            Clock.fixed(Instant.parse("2026-12-06T03:02:30Z"), ZoneOffset.UTC));

    private static Steps waitFor() {
        return Steps.of("ecs-wait-stable").resource("ecs:prod/checkout").startedAt("2026-12-06T03:00:00Z");
    }

    @Test
    void aRolloutInProgressIsLookedAtAgainLater() {
        aws.json(DESCRIBE, service(2, 4, "ecs-svc/222 PRIMARY 1796526001 IN_PROGRESS", "ecs-svc/111 ACTIVE 1796520000 COMPLETED"));

        ActionResult result = action.execute(waitFor().step());

        assertThat(aws.calls()).containsExactly("ecs:DescribeServices");
        assertThat(aws.bodies(DESCRIBE).get(0).toString()).isEqualTo("{\"cluster\":\"prod\",\"services\":[\"checkout\"]}");
        assertThat(result.status()).isEqualTo(OutcomeStatus.WAITING);
        assertThat(result.checkAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(result.results()).containsEntry("deploymentId", "ecs-svc/222").containsEntry("rolloutState", "IN_PROGRESS")
                .containsEntry("elapsedSeconds", "150").containsEntry("runningCount", "2").containsEntry("desiredCount", "4");
        assertThat(result.summary()).isEqualTo("deployment ecs-svc/222 of prod/checkout is still rolling out (2 of 4 tasks running)");
    }

    @Test
    void aCompletedRolloutSucceeds() {
        aws.json(DESCRIBE, service(4, 4, "ecs-svc/222 PRIMARY 1796526001 COMPLETED"));

        ActionResult result = action.check(waitFor().mode("check").with("checkAfterSeconds", "5").step());

        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.summary()).isEqualTo("deployment ecs-svc/222 of prod/checkout completed its rollout (4 of 4 tasks running)");
    }

    @Test
    void aFailedRolloutFails() {
        aws.json(DESCRIBE, service(0, 4, "ecs-svc/222 PRIMARY 1796526001 FAILED"));

        ActionResult result = action.check(waitFor().mode("check").step());

        assertThat(result.status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(result.results()).containsEntry("rolloutState", "FAILED");
    }

    @Test
    void theNamedDeploymentCountsNotARollbackThatBecamePrimary() {
        // the circuit breaker rolled ecs-svc/222 back: the rollback (333) is primary and completed, 222 failed
        aws.json(DESCRIBE, service(4, 4, "ecs-svc/333 PRIMARY 1796526100 COMPLETED", "ecs-svc/222 ACTIVE 1796526001 FAILED"));

        ActionResult result = action.check(waitFor().mode("check").with("deploymentId", "ecs-svc/222").step());

        assertThat(result.status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(result.results()).containsEntry("deploymentId", "ecs-svc/222");
        assertThat(action.plan(waitFor().with("deploymentId", "ecs-svc/222").step()))
                .isEqualTo("wait until deployment ecs-svc/222 of ECS service prod/checkout has completed its rollout");
    }

    @Test
    void withoutARolloutStateOneDeploymentRunningEveryTaskIsStable() {
        aws.json(DESCRIBE, service(3, 3, "ecs-svc/222 PRIMARY 1796526001").replace("\"rolloutState\":\"IN_PROGRESS\",", ""));

        assertThat(action.check(waitFor().mode("check").step()).status()).isEqualTo(OutcomeStatus.SUCCEEDED);
    }
}
