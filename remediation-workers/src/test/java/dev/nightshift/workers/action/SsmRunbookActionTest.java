package dev.nightshift.workers.action;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.workers.Requests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** The real AWS SDK against a local HTTP fake of SSM: the runbook parameters a step becomes, and the request on the wire. */
class SsmRunbookActionTest {
    private static final String START = "AmazonSSM.StartAutomationExecution";
    private WireMockServer fake;
    private SsmClient ssm;
    private SsmRunbookAction action;

    @BeforeEach
    void start() {
        fake = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        fake.start();
        fake.stubFor(post("/").withHeader("X-Amz-Target", equalTo(START)).willReturn(aResponse()
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody("{\"AutomationExecutionId\":\"exec-1\"}")));
        ssm = SsmClient.builder().region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(fake.baseUrl())).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDTEST", "test-secret"))).build();
        action = new SsmRunbookAction(ssm);
    }

    @AfterEach
    void stop() {
        ssm.close();
        fake.stop();
    }

    private static Step step(String requestId, String resource, Map<String, String> parameters) {
        Map<String, String> all = new HashMap<>(parameters);
        all.put("document", "AWS-RestartEC2Instance");
        return new Step(Requests.request(requestId, "ssm-runbook", resource, all));
    }

    private String plan(String resource, Map<String, String> parameters) {
        return action.plan(step("r1", resource, parameters));
    }

    @Test
    void anInstanceResourceBecomesTheRunbooksInstanceId() {
        assertThat(plan("ec2:instance/i-0abc12345678def01", Map.of())).endsWith("with {InstanceId=[i-0abc12345678def01]}");
        assertThat(plan("arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc1234", Map.of())).endsWith("with {InstanceId=[i-0abc1234]}");
    }

    @Test
    void aResourceThatMerelyContainsIDashIsNotTakenForAnInstance() {
        assertThat(plan("lambda:function/checkout-api-handler", Map.of())).endsWith("with {}");
        assertThat(plan("rds:multi-region-db", Map.of())).endsWith("with {}");
        assertThat(fake.getAllServeEvents()).as("planning calls no AWS API").isEmpty();
    }

    @Test
    void theInstanceParameterOrAnExplicitRunbookParameterWins() {
        assertThat(plan("lambda:function/checkout", Map.of("instance", "i-0123abcd"))).endsWith("with {InstanceId=[i-0123abcd]}");
        assertThat(plan("ec2:instance/i-0abc1234", Map.of("param.InstanceId", "i-99999999"))).endsWith("with {InstanceId=[i-99999999]}");
    }

    @Test
    void aRunSendsAnIdempotencyTokenOfItsRequestSoARetryStartsNoSecondExecution() {
        action.execute(step("inc-1:ec2-status-check:0", "ec2:instance/i-0abc1234", Map.of()));
        action.execute(step("inc-1:ec2-status-check:0", "ec2:instance/i-0abc1234", Map.of()));
        action.execute(step("inc-2:ec2-status-check:0", "ec2:instance/i-0abc1234", Map.of()));

        List<LoggedRequest> starts = fake.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(START)));
        assertThat(starts).hasSize(3);
        List<String> tokens = starts.stream().map(r -> r.getBodyAsString().replaceAll(".*\"ClientToken\":\"([^\"]+)\".*", "$1")).toList();
        assertThat(tokens.get(0)).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").isEqualTo(tokens.get(1))
                .isNotEqualTo(tokens.get(2));
        assertThat(starts.get(0).getBodyAsString()).contains("\"DocumentName\":\"AWS-RestartEC2Instance\"")
                .contains("\"InstanceId\":[\"i-0abc1234\"]");
    }
}
