package dev.nightshift.workers.playbook;

import dev.nightshift.workers.actions.ActionCatalog;
import dev.nightshift.workers.actions.Actions;
import dev.nightshift.workers.actions.AwsClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped playbooks are valid against the real actions, and do what the seeds describe. */
class ShippedPlaybooksTest {
    private static final AwsClients CLIENTS = AwsClients.inRegion("us-east-1");
    private static final ActionCatalog CATALOG = Actions.catalog(CLIENTS, Clock.systemUTC());

    @AfterAll
    static void close() {
        CLIENTS.close();
    }

    @Test
    void theShippedPlaybooksHaveNoProblem() {
        assertThat(Playbooks.problems(null, CATALOG::spec)).isEmpty();
        assertThat(Playbooks.load(null, CATALOG::spec).names()).containsExactlyInAnyOrder("dynamodb-throttling", "ecs-unhealthy-service",
                "lambda-throttles", "ec2-status-check", "high-5xx-rate", "suspicious-ip");
    }

    @Test
    void dynamoDbThrottlingRaisesCapacityByHalfAskingOnlyInProdAndEnrichmentNeverBlocksIt() {
        Playbook playbook = Playbooks.load(null, CATALOG::spec).find("dynamodb-throttling").orElseThrow();
        PlaybookStep metrics = playbook.steps().get(0);
        PlaybookStep scale = playbook.step("scale").orElseThrow();

        assertThat(metrics.onFailure()).isEqualTo(FailurePolicy.CONTINUE);
        assertThat(scale.parameters().get("factor").source()).isEqualTo("1.5");
        assertThat(scale.approval().requiredIn("prod")).isTrue();
        assertThat(scale.approval().requiredIn("staging")).isFalse();
        assertThat(scale.approval().required()).isEqualTo(1);
        assertThat(scale.approval().approvers()).as("the owner's approvers").isEmpty();
    }

    @Test
    void theRunbookWaitsBehindAnApprovalAndTheHighFiveHundredsPlaybookEndsWithAHandOver() {
        Playbooks playbooks = Playbooks.load(null, CATALOG::spec);
        assertThat(playbooks.find("ec2-status-check").orElseThrow().step("restart").orElseThrow().approval().mode())
                .isEqualTo(ApprovalPolicy.Mode.ALWAYS);
        Playbook fiveHundreds = playbooks.find("high-5xx-rate").orElseThrow();
        assertThat(fiveHundreds.steps().get(fiveHundreds.steps().size() - 1).manual()).isTrue();
        assertThat(playbooks.find("ecs-unhealthy-service").orElseThrow().steps()).extracting(PlaybookStep::action)
                .containsExactly("ecs-deployments", "ecs-remediate", "ecs-wait-stable");
    }
}
