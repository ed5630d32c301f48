package dev.nightshift.workers.action;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.nightshift.workers.Requests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real AWS SDK against a local HTTP fake that checks the DynamoDB JSON protocol requests. */
class DynamoDbScaleActionTest {
    private WireMockServer dynamo;
    private DynamoDbScaleAction action;

    @BeforeEach
    void start() {
        dynamo = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        dynamo.start();
        DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(URI.create(dynamo.baseUrl()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        action = new DynamoDbScaleAction(client);
    }

    @AfterEach
    void stop() {
        dynamo.stop();
    }

    private void table(String billing, int read, int write) {
        dynamo.stubFor(post("/").withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.DescribeTable"))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.0").withBody("""
                        {"Table":{"TableName":"orders-eu","TableStatus":"ACTIVE",
                          "BillingModeSummary":{"BillingMode":"%s"},
                          "ProvisionedThroughput":{"ReadCapacityUnits":%d,"WriteCapacityUnits":%d}}}
                        """.formatted(billing, read, write))));
        dynamo.stubFor(post("/").withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.UpdateTable"))
                .willReturn(aResponse().withHeader("Content-Type", "application/x-amz-json-1.0")
                        .withBody("{\"TableDescription\":{\"TableName\":\"orders-eu\",\"TableStatus\":\"UPDATING\"}}")));
    }

    @Test
    void raisesCapacityByTheFactorUpToTheMaximum() {
        table("PROVISIONED", 100, 400);

        RemediationAction.Change change = action.execute(new Step(Requests.request("r1", "dynamodb-scale",
                "dynamodb:table/orders-eu", Map.of("factor", "3", "maxWriteCapacity", "1000"))));

        dynamo.verify(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.UpdateTable"))
                .withHeader("Authorization", containing("Credential=AKIDTEST/"))
                .withRequestBody(equalToJson("""
                        {"TableName":"orders-eu","ProvisionedThroughput":{"ReadCapacityUnits":300,"WriteCapacityUnits":1000}}
                        """)));
        assertThat(change.before()).containsEntry("readCapacityUnits", "100");
        assertThat(change.after()).containsEntry("readCapacityUnits", "300").containsEntry("writeCapacityUnits", "1000");
        assertThat(change.summary()).isEqualTo("raised table orders-eu capacity: read 100 -> 300, write 400 -> 1000");
    }

    @Test
    void leavesAnOnDemandTableAlone() {
        table("PAY_PER_REQUEST", 0, 0);

        RemediationAction.Change change = action.execute(new Step(Requests.request("r2", "dynamodb-scale",
                "dynamodb:table/orders-eu", Map.of())));

        dynamo.verify(exactly(0), postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.UpdateTable")));
        assertThat(change.summary()).contains("on-demand");
    }

    @Test
    void aFactorThatIsNotAFiniteNumberIsRefusedWithoutCallingAws() {
        for (String factor : List.of("NaN", "Infinity", "-Infinity")) {
            Step step = new Step(Requests.request("r4", "dynamodb-scale", "dynamodb:table/orders-eu", Map.of("factor", factor)));
            assertThatThrownBy(() -> action.plan(step)).isInstanceOf(Step.InvalidStepException.class)
                    .hasMessageContaining("not a finite number");
            assertThatThrownBy(() -> action.execute(step)).isInstanceOf(Step.InvalidStepException.class)
                    .hasMessageContaining("not a finite number");
        }
        assertThat(dynamo.getAllServeEvents()).isEmpty();
    }

    @Test
    void planNamesTheTableAndLimitsWithoutCallingAws() {
        String plan = action.plan(new Step(Requests.request("r3", "dynamodb-scale", "dynamodb:table/orders-eu", Map.of())));

        assertThat(plan).isEqualTo("raise the provisioned capacity of DynamoDB table orders-eu by x2 (read at most 1000, write at most 1000)");
        assertThat(dynamo.getAllServeEvents()).isEmpty();
    }
}
