package dev.nightshift.workers.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ssm-runbook through the real SDK against a fake of SSM: the runbook's parameters, the idempotency token, the follow-up. */
class SsmRunbookActionTest {
    private static final String START = "AmazonSSM.StartAutomationExecution";
    private static final String GET = "AmazonSSM.GetAutomationExecution";

    @RegisterExtension
    static final AwsFake aws = new AwsFake("ssm-runbook");

    private final SsmRunbookAction action = new SsmRunbookAction(aws.clients().ssm());

    private static Steps runbook(String requestId, String resource) {
        return Steps.of("ssm-runbook").requestId(requestId).resource(resource).with("document", "AWS-RestartEC2Instance");
    }

    private void execution(String status, String extra) {
        aws.json(GET, """
                {"AutomationExecution":{"AutomationExecutionId":"exec-1","DocumentName":"AWS-RestartEC2Instance",
                  "AutomationExecutionStatus":"%s"%s}}
                """.formatted(status, extra));
    }

    @Test
    void startsTheRunbookWithATokenOfTheRequestAndWaits() {
        aws.json(START, "{\"AutomationExecutionId\":\"exec-1\"}");

        ActionResult result = action.execute(runbook("inc-1:restart:0", "ec2:instance/i-0abc12345678def01")
                .with("param.AutomationAssumeRole", "arn:aws:iam::123456789012:role/nightshift-automation").step());

        assertThat(aws.calls()).containsExactly("ssm:StartAutomationExecution");
        JsonNode body = aws.bodies(START).get(0);
        assertThat(body.path("DocumentName").asText()).isEqualTo("AWS-RestartEC2Instance");
        assertThat(body.path("Parameters")).isEqualTo(AwsFake.JSON.valueToTree(Map.of("InstanceId", List.of("i-0abc12345678def01"),
                "AutomationAssumeRole", List.of("arn:aws:iam::123456789012:role/nightshift-automation"))));
        assertThat(body.path("ClientToken").asText()).isEqualTo(UUID.nameUUIDFromBytes("nightshift:inc-1:restart:0".getBytes()).toString());
        assertThat(result.status()).isEqualTo(OutcomeStatus.WAITING);
        assertThat(result.checkAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(result.results()).isEqualTo(Map.of("automationExecutionId", "exec-1", "document", "AWS-RestartEC2Instance"));
        assertThat(result.summary()).isEqualTo("started runbook AWS-RestartEC2Instance (execution exec-1)");
    }

    @Test
    void aSecondStartOfTheSameStepSendsTheSameTokenAndAnotherStepAnother() {
        aws.json(START, "{\"AutomationExecutionId\":\"exec-1\"}");

        action.execute(runbook("inc-1:restart:0", "ec2:instance/i-0abc1234").step());
        action.recover(runbook("inc-1:restart:0", "ec2:instance/i-0abc1234").step());
        action.execute(runbook("inc-2:restart:0", "ec2:instance/i-0abc1234").step());

        List<String> tokens = aws.bodies(START).stream().map(b -> b.path("ClientToken").asText()).toList();
        assertThat(tokens).hasSize(3);
        assertThat(tokens.get(0)).matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}").isEqualTo(tokens.get(1))
                .isNotEqualTo(tokens.get(2));
    }

    @Test
    void aTokenSsmRefusesProvesNothing() {
        aws.jsonError(START, 400, "IdempotentParameterMismatch", "token used with other parameters");

        assertThat(action.recover(runbook("inc-1:restart:0", "ec2:instance/i-0abc1234").step())).isEmpty();
        assertThat(aws.calls()).containsExactly("ssm:StartAutomationExecution");
    }

    @Test
    void aCheckWaitsWhileTheExecutionRuns() {
        execution("InProgress", "");

        ActionResult result = action.check(runbook("r", null).mode("check").earlier("automationExecutionId", "exec-1").step());

        assertThat(aws.calls()).containsExactly("ssm:GetAutomationExecution");
        assertThat(aws.bodies(GET).get(0).toString()).isEqualTo("{\"AutomationExecutionId\":\"exec-1\"}");
        assertThat(result.status()).isEqualTo(OutcomeStatus.WAITING);
        assertThat(result.results()).containsEntry("status", "InProgress");
    }

    @Test
    void aSuccessfulExecutionSucceedsWithItsOutputs() {
        execution("Success", ",\"Outputs\":{\"restart.InstanceState\":[\"running\"]}");

        ActionResult result = action.check(runbook("r", null).mode("check").earlier("automationExecutionId", "exec-1").step());

        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.results()).containsEntry("status", "Success").containsEntry("output.restart.InstanceState", "running");
        assertThat(result.summary()).isEqualTo("runbook AWS-RestartEC2Instance (execution exec-1) succeeded");
    }

    @Test
    void aFailedTimedOutOrCancelledExecutionFails() {
        for (String status : List.of("Failed", "TimedOut", "Cancelled")) {
            execution(status, ",\"FailureMessage\":\"Step restart failed\"");
            ActionResult result = action.check(runbook("r", null).mode("check").earlier("automationExecutionId", "exec-1").step());
            assertThat(result.status()).as(status).isEqualTo(OutcomeStatus.FAILED);
            assertThat(result.summary()).isEqualTo("runbook AWS-RestartEC2Instance (execution exec-1) ended " + status + ": Step restart failed");
        }
    }

    @Test
    void anInstanceResourceBecomesTheRunbooksInstanceIdInThePlan() {
        assertThat(action.plan(runbook("r", "ec2:instance/i-0abc12345678def01").step()))
                .isEqualTo("start SSM Automation runbook AWS-RestartEC2Instance with {InstanceId=[i-0abc12345678def01]}");
        assertThat(action.plan(runbook("r", "lambda:function/checkout-api-handler").step())).endsWith("with {}");
        assertThat(action.plan(runbook("r", "lambda:function/checkout").with("instance", "i-0123abcd").step())).endsWith("with {InstanceId=[i-0123abcd]}");
        assertThat(action.plan(runbook("r", "ec2:instance/i-0abc1234").with("param.InstanceId", "i-99999999").step()))
                .endsWith("with {InstanceId=[i-99999999]}");
        assertThat(action.spec().takes("param.InstanceId")).isTrue();
        assertThat(action.spec().takes("param.")).isFalse();
        assertThatThrownBy(() -> action.plan(Steps.of("ssm-runbook").step())).isInstanceOf(Step.InvalidStepException.class)
                .hasMessageContaining("document");
        assertThatThrownBy(() -> action.check(runbook("r", null).mode("check").step())).isInstanceOf(Step.InvalidStepException.class);
        assertThat(aws.calls()).isEmpty();
    }
}
