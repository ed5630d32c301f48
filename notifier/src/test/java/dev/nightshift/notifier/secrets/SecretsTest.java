package dev.nightshift.notifier.secrets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.notifier.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Secrets} through the real AWS SDK against a local fake of Secrets Manager and Parameter Store, pointed at it
 * the standard way (the {@code aws.endpointUrl} system property, which is AWS_ENDPOINT_URL): the calls on the wire,
 * what is read once, and failures that name the setting and the store but never a value.
 */
class SecretsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GET_SECRET = "secretsmanager.GetSecretValue";
    private static final String GET_PARAMETER = "AmazonSSM.GetParameter";
    private static final String JIRA_TOKEN = "ATATT3xFfGF0-from-secrets-manager";
    private WireMockServer aws;
    private Secrets secrets;

    @BeforeEach
    void start() {
        aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        aws.start();
        System.setProperty("aws.endpointUrl", aws.baseUrl());
        secrets = new Secrets("eu-west-1", StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")));
    }

    @AfterEach
    void stop() {
        secrets.close();
        System.clearProperty("aws.endpointUrl");
        aws.stop();
    }

    @Test
    void aPlainValueIsTheSecretAndCallsNoOne() {
        assertThat(secrets.resolve("SLACK_BOT_TOKEN", "xoxb-plain-token")).isEqualTo("xoxb-plain-token");
        assertThat(secrets.resolve("SLACK_SIGNING_SECRET", "8f7e6d5c4b3a\n")).as("a line break from a file is not part of it").isEqualTo("8f7e6d5c4b3a");

        assertThat(aws.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aSecretsManagerReferenceIsReadWithGetSecretValue() throws Exception {
        answer(GET_SECRET, 200, "{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:123456789012:secret:nightshift/jira-AbCdEf\","
                + "\"Name\":\"nightshift/jira\",\"SecretString\":\"" + JIRA_TOKEN + "\",\"VersionId\":\"v1\"}");

        assertThat(secrets.resolve("JIRA_API_TOKEN", "aws-secretsmanager:nightshift/jira")).isEqualTo(JIRA_TOKEN);

        LoggedRequest call = only(GET_SECRET);
        assertThat(JSON.readTree(call.getBodyAsString())).isEqualTo(JSON.readTree("{\"SecretId\":\"nightshift/jira\"}"));
        assertThat(call.getHeader("Content-Type")).startsWith("application/x-amz-json-1.1");
        assertThat(call.getHeader("Authorization")).contains("Credential=AKIDTEST/").contains("/eu-west-1/secretsmanager/aws4_request");
    }

    @Test
    void oneSecretHoldingSeveralKeysIsReadOnce() {
        String both = "{\"payments\":\"PDKEYPAYMENTS\",\"checkout\":\"PDKEYCHECKOUT\"}";
        answer(GET_SECRET, 200, JSON.createObjectNode().put("Name", "nightshift/pagerduty").put("SecretString", both).toString());

        assertThat(secrets.resolve("PAGERDUTY_ROUTING_KEYS (team payments)", "aws-secretsmanager:nightshift/pagerduty#payments")).isEqualTo("PDKEYPAYMENTS");
        assertThat(secrets.resolve("PAGERDUTY_ROUTING_KEYS (team checkout)", "aws-secretsmanager:nightshift/pagerduty#checkout")).isEqualTo("PDKEYCHECKOUT");
        assertThat(secrets.resolve("PAGERDUTY_ROUTING_KEYS (team payments)", "aws-secretsmanager:nightshift/pagerduty#payments")).isEqualTo("PDKEYPAYMENTS");

        assertThat(aws.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void anSsmReferenceIsReadWithGetParameterAndDecrypted() throws Exception {
        answer(GET_PARAMETER, 200, "{\"Parameter\":{\"Name\":\"/nightshift/slack/signing-secret\",\"Type\":\"SecureString\","
                + "\"Value\":\"8f7e6d5c4b3a-signing\",\"Version\":3}}");

        assertThat(secrets.resolve("SLACK_SIGNING_SECRET", "aws-ssm:/nightshift/slack/signing-secret")).isEqualTo("8f7e6d5c4b3a-signing");

        LoggedRequest call = only(GET_PARAMETER);
        assertThat(JSON.readTree(call.getBodyAsString()))
                .isEqualTo(JSON.readTree("{\"Name\":\"/nightshift/slack/signing-secret\",\"WithDecryption\":true}"));
        assertThat(call.getHeader("Authorization")).contains("/eu-west-1/ssm/aws4_request");
    }

    @Test
    void aSecretTheStoreDoesNotHandOverFailsNamingTheSettingAndTheStore() {
        answer(GET_SECRET, 400, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}");
        answer(GET_PARAMETER, 400, "{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized to perform: ssm:GetParameter\"}");

        assertThatThrownBy(() -> secrets.resolve("JIRA_API_TOKEN", "aws-secretsmanager:nightshift/jira"))
                .isInstanceOf(SecretException.class)
                .hasMessageStartingWith("JIRA_API_TOKEN: cannot read AWS Secrets Manager secret nightshift/jira: ResourceNotFoundException");
        assertThatThrownBy(() -> secrets.resolve("SLACK_BOT_TOKEN", "aws-ssm:/nightshift/slack/bot-token"))
                .isInstanceOf(SecretException.class)
                .hasMessageStartingWith("SLACK_BOT_TOKEN: cannot read SSM Parameter Store parameter /nightshift/slack/bot-token: AccessDeniedException")
                .hasMessageContaining("ssm:GetParameter");
    }

    @Test
    void aMissingJsonKeyOrASecretThatIsNotJsonFailsWithoutQuotingTheSecret() {
        answer(GET_SECRET, 200, JSON.createObjectNode().put("Name", "nightshift/slack").put("SecretString", "{\"bot\":\"xoxb-SECRET-BOT\"}").toString());
        answer(GET_PARAMETER, 200, "{\"Parameter\":{\"Name\":\"/nightshift/raw\",\"Type\":\"SecureString\",\"Value\":\"xoxb-NOT-JSON-SECRET\"}}");

        assertThatThrownBy(() -> secrets.resolve("SLACK_SIGNING_SECRET", "aws-secretsmanager:nightshift/slack#signing"))
                .isInstanceOf(SecretException.class)
                .hasMessage("SLACK_SIGNING_SECRET: AWS Secrets Manager secret nightshift/slack, JSON key signing: the JSON object has no text under that key");
        assertThatThrownBy(() -> secrets.resolve("SLACK_BOT_TOKEN", "aws-ssm:/nightshift/raw#bot"))
                .isInstanceOf(SecretException.class).hasNoCause()
                .hasMessage("SLACK_BOT_TOKEN: SSM Parameter Store parameter /nightshift/raw, JSON key bot: the secret is not a JSON object");
    }

    @Test
    void anEmptyOrMalformedSettingFailsWithoutCallingAws() {
        assertThatThrownBy(() -> secrets.resolve("JIRA_API_TOKEN", " ")).hasMessage("JIRA_API_TOKEN is empty");
        assertThatThrownBy(() -> secrets.resolve("JIRA_API_TOKEN", "aws-ssm:")).hasMessage("JIRA_API_TOKEN: SSM Parameter Store reference names no parameter");
        assertThatThrownBy(() -> secrets.resolve("JIRA_API_TOKEN", "aws-secretsmanager:nightshift/jira#"))
                .hasMessage("JIRA_API_TOKEN: AWS Secrets Manager reference nightshift/jira has an empty JSON key after '#'");

        assertThat(aws.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void noValueIsLoggedEvenAtDebug() throws Exception {
        answer(GET_SECRET, 200, "{\"Name\":\"nightshift/jira\",\"SecretString\":\"" + JIRA_TOKEN + "\"}");

        List<String> lines = LogCapture.atDebugDuring(() -> secrets.resolve("JIRA_API_TOKEN", "aws-secretsmanager:nightshift/jira"));

        assertThat(lines).as("the capture sees the SDK's DEBUG lines").anyMatch(l -> l.contains("Received successful response: 200"));
        assertThat(lines).as("and the notifier's own").contains("JIRA_API_TOKEN: read from AWS Secrets Manager secret nightshift/jira");
        assertThat(lines).noneMatch(l -> l.contains(JIRA_TOKEN));
    }

    private void answer(String target, int status, String body) {
        aws.stubFor(post("/").withHeader("X-Amz-Target", equalTo(target))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body)));
    }

    private LoggedRequest only(String target) {
        List<LoggedRequest> calls = aws.findAll(anyRequestedFor(anyUrl()));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).getHeader("X-Amz-Target")).isEqualTo(target);
        return calls.get(0);
    }
}
