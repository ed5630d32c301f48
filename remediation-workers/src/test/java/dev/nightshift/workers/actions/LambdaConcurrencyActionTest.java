package dev.nightshift.workers.actions;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** lambda-concurrency through the real SDK against a fake that checks Lambda's REST paths and bodies on the wire. */
class LambdaConcurrencyActionTest {
    private static final String GET_PATH = "/2019-09-30/functions/checkout-api/concurrency";
    private static final String SET_PATH = "/2017-10-31/functions/checkout-api/concurrency";

    @RegisterExtension
    static final AwsFake aws = new AwsFake("lambda-concurrency");

    private final LambdaConcurrencyAction action = new LambdaConcurrencyAction(aws.clients().lambda());

    private void reserved(String body) {
        aws.stub(get(urlEqualTo(GET_PATH)).willReturn(AwsFake.jsonAnswer(200, body)));
        aws.stub(put(urlEqualTo(SET_PATH)).willReturn(AwsFake.jsonAnswer(200, "{\"ReservedConcurrentExecutions\":50}")));
        aws.stub(delete(urlEqualTo(SET_PATH)).willReturn(aResponse().withStatus(204)));
    }

    private LoggedRequest only(String method) {
        return aws.server().findAll(anyRequestedFor(anyUrl())).stream().filter(r -> r.getMethod().getName().equals(method))
                .findFirst().orElseThrow();
    }

    private static Steps concurrency(String reserved) {
        return Steps.of("lambda-concurrency").resource("lambda:function/checkout-api").with("reservedConcurrency", reserved);
    }

    @Test
    void setsTheReservedConcurrencyAndKeepsTheOneItFound() {
        reserved("{\"ReservedConcurrentExecutions\":20}");

        ActionResult result = action.execute(concurrency("50").step());

        assertThat(aws.calls()).containsExactly("lambda:GetFunctionConcurrency", "lambda:PutFunctionConcurrency");
        LoggedRequest put = only("PUT");
        assertThat(put.getUrl()).isEqualTo(SET_PATH);
        assertThat(put.getBodyAsString()).isEqualTo("{\"ReservedConcurrentExecutions\":50}");
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.results()).isEqualTo(Map.of("reservedConcurrencyBefore", "20", "reservedConcurrency", "50"));
        assertThat(result.before()).isEqualTo(Map.of("reservedConcurrency", "20"));
        assertThat(result.summary()).isEqualTo("set the reserved concurrency of Lambda function checkout-api to 50 (was 20)");
        assertThat(result.undo()).isEqualTo("set the reserved concurrency of Lambda function checkout-api back to 20");
    }

    @Test
    void anUnreservedFunctionIsUndoneByRemovingTheReservation() {
        reserved("{}");

        ActionResult result = action.execute(concurrency("10").step());
        assertThat(result.before()).isEqualTo(Map.of("reservedConcurrency", "unreserved"));
        assertThat(result.undo()).isEqualTo("remove the reserved concurrency of Lambda function checkout-api (back to unreserved)");

        aws.stub(get(urlEqualTo(GET_PATH)).willReturn(AwsFake.jsonAnswer(200, "{\"ReservedConcurrentExecutions\":10}")));
        ActionResult undone = action.undo(concurrency("10").mode("undo").earlier("before.reservedConcurrency", "unreserved")
                .earlier("reservedConcurrency", "10").step());
        assertThat(only("DELETE").getUrl()).isEqualTo(SET_PATH);
        assertThat(undone.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(undone.after()).isEqualTo(Map.of("reservedConcurrency", "unreserved"));
    }

    @Test
    void undoPutsANumberBack() {
        reserved("{\"ReservedConcurrentExecutions\":50}");

        ActionResult undone = action.undo(concurrency("50").mode("undo").earlier("before.reservedConcurrency", "20").step());

        assertThat(aws.calls()).containsExactly("lambda:GetFunctionConcurrency", "lambda:PutFunctionConcurrency");
        assertThat(only("PUT").getBodyAsString()).isEqualTo("{\"ReservedConcurrentExecutions\":20}");
        assertThat(undone.summary()).isEqualTo("set the reserved concurrency of Lambda function checkout-api back to 20 (was 50)");
    }

    @Test
    void theMaximumCapsTheReservationAndThePlanSaysSo() {
        reserved("{\"ReservedConcurrentExecutions\":20}");

        assertThat(action.plan(concurrency("500").step()))
                .isEqualTo("set the reserved concurrency of Lambda function checkout-api to 200 (asked 500, capped at the maximum 200)");
        assertThat(action.plan(concurrency("0").with("function", "arn:aws:lambda:eu-west-1:123456789012:function:billing").step()))
                .isEqualTo("set the reserved concurrency of Lambda function arn:aws:lambda:eu-west-1:123456789012:function:billing to 0");
        assertThat(aws.calls()).isEmpty();
        action.execute(concurrency("500").with("maxReservedConcurrency", "100").step());
        assertThat(only("PUT").getBodyAsString()).isEqualTo("{\"ReservedConcurrentExecutions\":100}");
    }

    @Test
    void aFunctionAlreadyAtTheTargetIsLeftAsItIs() {
        reserved("{\"ReservedConcurrentExecutions\":50}");

        ActionResult result = action.execute(concurrency("50").step());

        assertThat(aws.calls()).containsExactly("lambda:GetFunctionConcurrency");
        assertThat(result.undo()).isNull();
    }

    @Test
    void aReservationAtTheTargetProvesTheStepDone() {
        reserved("{\"ReservedConcurrentExecutions\":50}");
        assertThat(action.recover(concurrency("50").step())).hasValueSatisfying(r -> assertThat(r.undo()).isNull());
        assertThat(action.recover(Steps.of("lambda-concurrency").resource("arn:aws:lambda:eu-west-1:123456789012:function:checkout-api:prod")
                .with("reservedConcurrency", "40").step())).isEmpty();
        assertThat(aws.calls()).containsOnly("lambda:GetFunctionConcurrency");
    }

    @Test
    void inputsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> action.plan(Steps.of("lambda-concurrency").resource("lambda:function/checkout-api").step()))
                .isInstanceOf(Step.InvalidStepException.class).hasMessageContaining("reservedConcurrency");
        assertThatThrownBy(() -> action.plan(concurrency("-1").step())).isInstanceOf(Step.InvalidStepException.class);
        assertThatThrownBy(() -> action.plan(Steps.of("lambda-concurrency").resource("dynamodb:table/orders").with("reservedConcurrency", "5").step()))
                .isInstanceOf(Step.InvalidStepException.class).hasMessageContaining("function");
        assertThatThrownBy(() -> action.undo(concurrency("5").mode("undo").step())).isInstanceOf(Step.InvalidStepException.class);
        assertThat(aws.calls()).isEmpty();
    }
}
