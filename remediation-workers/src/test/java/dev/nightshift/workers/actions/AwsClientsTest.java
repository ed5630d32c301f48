package dev.nightshift.workers.actions;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The clients take their endpoints from the SDK's standard settings (here the system properties that stand for
 * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_LAMBDA), one service's setting winning over the global one, and never retry.
 */
class AwsClientsTest {
    private final WireMockServer everything = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final WireMockServer lambdaOnly = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private AwsClients clients;

    @BeforeEach
    void start() {
        everything.start();
        lambdaOnly.start();
        Map<String, String> settings = Map.of("aws.endpointUrl", everything.baseUrl(), "aws.endpointUrlLambda", lambdaOnly.baseUrl());
        settings.forEach(System::setProperty);
        try {
            clients = AwsClients.inRegion("eu-west-1", StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")));
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
    }

    @AfterEach
    void stop() {
        clients.close();
        everything.stop();
        lambdaOnly.stop();
    }

    @Test
    void aServicesOwnEndpointWinsOverTheGlobalOne() {
        lambdaOnly.stubFor(get(urlPathMatching("/2019-09-30/functions/.*")).willReturn(AwsFake.jsonAnswer(200, "{}")));
        everything.stubFor(post("/").willReturn(AwsFake.jsonAnswer(200, "{\"services\":[],\"failures\":[]}")));

        clients.lambda().getFunctionConcurrency(b -> b.functionName("checkout"));
        clients.ecs().describeServices(b -> b.cluster("prod").services("checkout"));

        assertThat(lambdaOnly.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
        assertThat(everything.findAll(anyRequestedFor(anyUrl()))).hasSize(1)
                .allSatisfy(r -> assertThat(r.getHeader("Authorization")).contains("/eu-west-1/ecs/aws4_request"));
    }

    @Test
    void aThrottledCallIsNotRetriedByTheSdk() {
        everything.stubFor(post("/").withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.DescribeTable"))
                .willReturn(AwsFake.jsonAnswer(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\",\"message\":\"slow down\"}")));
        everything.stubFor(post("/").withHeader("X-Amz-Target", equalTo("AmazonSSM.GetAutomationExecution"))
                .willReturn(AwsFake.jsonAnswer(500, "{\"__type\":\"InternalServerError\",\"message\":\"oops\"}")));

        assertThatThrownBy(() -> clients.dynamoDb().describeTable(b -> b.tableName("orders-eu"))).isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).isThrottlingException()).isTrue());
        assertThatThrownBy(() -> clients.ssm().getAutomationExecution(b -> b.automationExecutionId("exec-1")))
                .isInstanceOf(AwsServiceException.class);

        assertThat(everything.findAll(anyRequestedFor(anyUrl()))).hasSize(2);
    }

    @Test
    void theStandardActionsAreEveryActionOnce() {
        List<RemediationAction> actions = Actions.standard(clients, Clock.systemUTC());

        assertThat(actions).extracting(RemediationAction::name).containsExactly("dynamodb-scale", "ecs-remediate", "ecs-wait-stable",
                "lambda-concurrency", "ssm-runbook", "ec2-isolate", "waf-block-ip", "cloudwatch-metrics", "cloudtrail-events",
                "ecs-deployments");
        assertThat(Actions.catalog(clients, Clock.systemUTC()).names()).hasSize(actions.size());
        assertThat(actions).filteredOn(a -> a.spec().changes()).extracting(RemediationAction::name)
                .containsExactlyInAnyOrder("dynamodb-scale", "ecs-remediate", "lambda-concurrency", "ssm-runbook", "ec2-isolate", "waf-block-ip");
        assertThat(actions).filteredOn(a -> a.spec().undoable()).extracting(RemediationAction::name)
                .containsExactlyInAnyOrder("dynamodb-scale", "lambda-concurrency", "ec2-isolate");
    }
}
