package dev.nightshift.workers.action;

import dev.nightshift.workers.Requests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which runbook parameters a step becomes (the plan shows them; planning calls no AWS API). */
class SsmRunbookActionTest {
    private final SsmClient ssm = SsmClient.builder().region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(URI.create("http://127.0.0.1:9")).credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("test", "test"))).build();
    private final SsmRunbookAction action = new SsmRunbookAction(ssm);

    @AfterEach
    void close() {
        ssm.close();
    }

    private String plan(String resource, Map<String, String> parameters) {
        Map<String, String> all = new java.util.HashMap<>(parameters);
        all.put("document", "AWS-RestartEC2Instance");
        return action.plan(new Step(Requests.request("r1", "ssm-runbook", resource, all)));
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
    }

    @Test
    void theInstanceParameterOrAnExplicitRunbookParameterWins() {
        assertThat(plan("lambda:function/checkout", Map.of("instance", "i-0123abcd"))).endsWith("with {InstanceId=[i-0123abcd]}");
        assertThat(plan("ec2:instance/i-0abc1234", Map.of("param.InstanceId", "i-99999999"))).endsWith("with {InstanceId=[i-99999999]}");
    }
}
