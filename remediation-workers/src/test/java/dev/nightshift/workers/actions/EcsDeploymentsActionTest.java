package dev.nightshift.workers.actions;

import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.nightshift.workers.actions.EcsRemediateActionTest.DESCRIBE;
import static dev.nightshift.workers.actions.EcsRemediateActionTest.service;
import static org.assertj.core.api.Assertions.assertThat;

/** ecs-deployments: the service's deployments, newest first, as results later steps and the notifier read. */
class EcsDeploymentsActionTest {
    @RegisterExtension
    static final AwsFake aws = new AwsFake("ecs-deployments");

    private final EcsDeploymentsAction action = new EcsDeploymentsAction(aws.clients().ecs());

    @Test
    void listsTheDeploymentsNewestFirst() {
        aws.json(DESCRIBE, service(2, 4, "ecs-svc/111 ACTIVE 1796520000 COMPLETED", "ecs-svc/222 PRIMARY 1796526001 IN_PROGRESS"));

        ActionResult result = action.execute(Steps.of("ecs-deployments").with("cluster", "prod").with("service", "checkout").step());

        assertThat(aws.calls()).containsExactly("ecs:DescribeServices");
        assertThat(aws.bodies(DESCRIBE).get(0).toString()).isEqualTo("{\"cluster\":\"prod\",\"services\":[\"checkout\"]}");
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.results()).containsEntry("count", "2").containsEntry("primaryId", "ecs-svc/222")
                .containsEntry("primaryRolloutState", "IN_PROGRESS")
                .containsEntry("deployment.1.id", "ecs-svc/222").containsEntry("deployment.1.status", "PRIMARY")
                .containsEntry("deployment.1.createdAt", "2026-12-06T03:00:01Z")
                .containsEntry("deployment.2.id", "ecs-svc/111").containsEntry("deployment.2.rolloutState", "COMPLETED")
                .containsEntry("deployment.2.taskDefinition", "arn:aws:ecs:eu-west-1:123456789012:task-definition/checkout:7");
        assertThat(result.summary()).isEqualTo("ECS service prod/checkout has 2 deployments: ecs-svc/222 PRIMARY IN_PROGRESS created "
                + "2026-12-06T03:00:01Z; ecs-svc/111 ACTIVE COMPLETED created 2026-12-06T01:20:00Z");
    }

    @Test
    void lastLimitsTheDetailAndThePlanCallsNothing() {
        aws.json(DESCRIBE, service(2, 4, "ecs-svc/111 ACTIVE 1796520000 COMPLETED", "ecs-svc/222 PRIMARY 1796526001 IN_PROGRESS"));

        assertThat(action.plan(Steps.of("ecs-deployments").resource("ecs:prod/checkout").step()))
                .isEqualTo("read the recent deployments of ECS service prod/checkout");
        assertThat(aws.calls()).isEmpty();
        ActionResult result = action.execute(Steps.of("ecs-deployments").resource("ecs:prod/checkout").with("last", "1").step());
        assertThat(result.results()).containsKey("deployment.1.id").doesNotContainKey("deployment.2.id").containsEntry("count", "2");
    }
}
