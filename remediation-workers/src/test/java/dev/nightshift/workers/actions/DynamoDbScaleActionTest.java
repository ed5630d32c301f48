package dev.nightshift.workers.actions;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dynamodb-scale through the real SDK against a fake that checks the DynamoDB JSON protocol on the wire. */
class DynamoDbScaleActionTest {
    private static final String DESCRIBE = "DynamoDB_20120810.DescribeTable";
    private static final String UPDATE = "DynamoDB_20120810.UpdateTable";

    @RegisterExtension
    static final AwsFake aws = new AwsFake("dynamodb-scale");

    private final DynamoDbScaleAction action = new DynamoDbScaleAction(aws.clients().dynamoDb());

    private void table(String billing, long read, long write, String lastIncrease) {
        aws.json(DESCRIBE, """
                {"Table":{"TableName":"orders-eu","TableStatus":"ACTIVE","BillingModeSummary":{"BillingMode":"%s"},
                  "ProvisionedThroughput":{"ReadCapacityUnits":%d,"WriteCapacityUnits":%d%s}}}
                """.formatted(billing, read, write, lastIncrease == null ? "" : ",\"LastIncreaseDateTime\":" + lastIncrease));
        aws.json(UPDATE, "{\"TableDescription\":{\"TableName\":\"orders-eu\",\"TableStatus\":\"UPDATING\"}}");
    }

    private static Steps scale() {
        return Steps.of("dynamodb-scale").resource("dynamodb:table/orders-eu");
    }

    @Test
    void raisesReadAndWriteCapacityByTheFactorUpToTheMaximum() {
        table("PROVISIONED", 100, 400, null);

        ActionResult result = action.execute(scale().with("maxWriteCapacity", "500").step());

        assertThat(aws.calls()).containsExactly("dynamodb:DescribeTable", "dynamodb:UpdateTable");
        assertThat(aws.bodies(DESCRIBE).get(0)).isEqualTo(AwsFake.JSON.valueToTree(Map.of("TableName", "orders-eu")));
        LoggedRequest update = aws.requests(UPDATE).get(0);
        assertThat(update.getHeader("Authorization")).contains("Credential=AKIDTEST/").contains("/eu-west-1/dynamodb/aws4_request");
        assertThat(equalToJson("""
                {"TableName":"orders-eu","ProvisionedThroughput":{"ReadCapacityUnits":150,"WriteCapacityUnits":500}}
                """).match(update.getBodyAsString()).isExactMatch()).as(update.getBodyAsString()).isTrue();
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.summary()).isEqualTo("raised table orders-eu capacity: read 100 -> 150, write 400 -> 500");
        assertThat(result.before()).isEqualTo(Map.of("readCapacityUnits", "100", "writeCapacityUnits", "400"));
        assertThat(result.after()).isEqualTo(Map.of("readCapacityUnits", "150", "writeCapacityUnits", "500"));
        assertThat(result.results()).isEqualTo(Map.of("readCapacityUnitsBefore", "100", "writeCapacityUnitsBefore", "400",
                "readCapacityUnits", "150", "writeCapacityUnits", "500"));
        assertThat(result.undo()).isEqualTo("set DynamoDB table orders-eu capacity back to 100/400 (read/write)");
    }

    @Test
    void theTableParameterWinsOverTheResourceAndTheFactorIsTheSteps() {
        table("PROVISIONED", 10, 10, null);

        action.execute(scale().with("table", "orders-us").with("factor", "3").step());

        assertThat(aws.bodies(UPDATE).get(0).toString())
                .isEqualTo("{\"TableName\":\"orders-us\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":30,\"WriteCapacityUnits\":30}}");
    }

    @Test
    void anOnDemandTableIsReportedAndNotChanged() {
        table("PAY_PER_REQUEST", 0, 0, null);

        ActionResult result = action.execute(scale().step());

        assertThat(aws.calls()).containsExactly("dynamodb:DescribeTable");
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.summary()).contains("on-demand").contains("nothing changed");
        assertThat(result.results()).containsEntry("billingMode", "PAY_PER_REQUEST");
        assertThat(result.undo()).isNull();
    }

    @Test
    void aTableAtItsMaximumIsLeftAsItIs() {
        table("PROVISIONED", 1000, 1200, null);

        ActionResult result = action.execute(scale().step());

        assertThat(aws.calls()).containsExactly("dynamodb:DescribeTable");
        assertThat(result.summary()).isEqualTo("table orders-eu is already at its maximum capacity (read 1000, write 1200); nothing changed");
        assertThat(result.undo()).isNull();
    }

    @Test
    void thePlanNamesTheTableFactorAndLimitsWithoutCallingAws() {
        assertThat(action.plan(scale().step()))
                .isEqualTo("raise the provisioned capacity of DynamoDB table orders-eu x1.5 (read at most 1000, write at most 1000)");
        assertThat(action.plan(scale().with("factor", "2").with("maxReadCapacity", "400").step()))
                .isEqualTo("raise the provisioned capacity of DynamoDB table orders-eu x2 (read at most 400, write at most 1000)");
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void numbersThatCannotWorkAreRefusedBeforeAnyCall() {
        for (Map.Entry<String, String> bad : List.of(Map.entry("factor", "NaN"), Map.entry("factor", "1"), Map.entry("factor", "11"),
                Map.entry("factor", "lots"), Map.entry("maxReadCapacity", "0"), Map.entry("maxWriteCapacity", "2.5"))) {
            Step step = scale().with(bad.getKey(), bad.getValue()).step();
            assertThatThrownBy(() -> action.plan(step)).as(bad.toString()).isInstanceOf(Step.InvalidStepException.class)
                    .hasMessageContaining(bad.getKey());
            assertThatThrownBy(() -> action.execute(step)).as(bad.toString()).isInstanceOf(Step.InvalidStepException.class);
        }
        assertThatThrownBy(() -> action.plan(Steps.of("dynamodb-scale").step())).isInstanceOf(Step.InvalidStepException.class)
                .hasMessageContaining("table");
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void undoSetsTheCapacityBackToWhatTheStepFound() {
        table("PROVISIONED", 150, 600, null);

        ActionResult result = action.undo(scale().mode("undo").earlier("before.readCapacityUnits", "100")
                .earlier("before.writeCapacityUnits", "400").earlier("readCapacityUnits", "150").step());

        assertThat(aws.calls()).containsExactly("dynamodb:DescribeTable", "dynamodb:UpdateTable");
        assertThat(aws.bodies(UPDATE).get(0).toString())
                .isEqualTo("{\"TableName\":\"orders-eu\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":100,\"WriteCapacityUnits\":400}}");
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.summary()).isEqualTo("set table orders-eu capacity back to 100/400 (read/write), from 150/600");
        assertThat(result.before()).isEqualTo(Map.of("readCapacityUnits", "150", "writeCapacityUnits", "600"));
        assertThat(result.after()).isEqualTo(Map.of("readCapacityUnits", "100", "writeCapacityUnits", "400"));
    }

    @Test
    void anUndoOfAStepThatChangedNothingIsRefused() {
        assertThatThrownBy(() -> action.undo(scale().mode("undo").earlier("billingMode", "PAY_PER_REQUEST").step()))
                .isInstanceOf(Step.InvalidStepException.class).hasMessageContaining("nothing to undo");
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void aRaiseAfterTheStepStartedToTheStepsTargetProvesItDone() {
        table("PROVISIONED", 150, 600, "1796526002.5");   // 2026-12-06T03:00:02.5Z, after the start below

        Optional<ActionResult> recovered = action.recover(scale().startedAt("2026-12-06T03:00:00Z").step());

        assertThat(aws.calls()).containsExactly("dynamodb:DescribeTable");
        assertThat(recovered).hasValueSatisfying(result -> {
            assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
            assertThat(result.before()).isEqualTo(Map.of("readCapacityUnits", "100", "writeCapacityUnits", "400"));
            assertThat(result.results()).containsEntry("readCapacityUnits", "150").containsEntry("writeCapacityUnitsBefore", "400");
            assertThat(result.undo()).isEqualTo("set DynamoDB table orders-eu capacity back to 100/400 (read/write)");
        });
    }

    @Test
    void aRaiseBeforeTheStepStartedProvesNothing() {
        table("PROVISIONED", 150, 600, "1796525990");   // 2026-12-06T02:59:50Z

        assertThat(action.recover(scale().startedAt("2026-12-06T03:00:00Z").step())).isEmpty();
    }

    @Test
    void aRaiseToACapacityTheStepWouldNotSetIsSomeoneElses() {
        table("PROVISIONED", 151, 600, "1796526002");   // x1.5 gives 150 or 152, never 151

        assertThat(action.recover(scale().startedAt("2026-12-06T03:00:00Z").step())).isEmpty();
    }

    @Test
    void aRaiseCappedAtTheMaximumIsDoneButHasNoUndo() {
        table("PROVISIONED", 1000, 1000, "1796526002");

        Optional<ActionResult> recovered = action.recover(scale().startedAt("2026-12-06T03:00:00Z").step());

        assertThat(recovered).hasValueSatisfying(result -> {
            assertThat(result.summary()).contains("not known");
            assertThat(result.undo()).isNull();
            assertThat(result.results()).containsEntry("readCapacityUnits", "1000");
        });
    }
}
