package dev.nightshift.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.notifier.jira.JiraConfig;
import dev.nightshift.notifier.jira.JiraTicketSystem;
import dev.nightshift.notifier.jira.TicketSystem;
import dev.nightshift.notifier.paging.PagerDutyConfig;
import dev.nightshift.notifier.paging.Pager;
import dev.nightshift.notifier.secrets.SecretsConfig;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The notifier as it starts: the Jira, PagerDuty and AWS variables reach their settings by the names the README gives;
 * the ticket system and the pager exist only when configured; their secrets are read at start from the stores the
 * settings name (local fakes of Secrets Manager and Parameter Store, reached the SDK's standard way); and a secret that
 * cannot be read, or a setting that is incomplete, stops the start with a message naming the setting, never a value.
 */
class TicketsAndPagesSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> AWS_SDK_SETTINGS = Map.of("aws.accessKeyId", "AKIDTEST", "aws.secretAccessKey", "test-secret");
    private final WireMockServer aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final WireMockServer jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final WireMockServer pagerDuty = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @BeforeEach
    void start() {
        aws.start();
        jira.start();
        pagerDuty.start();
        AWS_SDK_SETTINGS.forEach(System::setProperty);
        System.setProperty("aws.endpointUrl", aws.baseUrl());
    }

    @AfterEach
    void stop() {
        AWS_SDK_SETTINGS.keySet().forEach(System::clearProperty);
        System.clearProperty("aws.endpointUrl");
        aws.stop();
        jira.stop();
        pagerDuty.stop();
    }

    @Test
    void withoutJiraOrPagerDutyThereIsNoTicketSystemAndNoPager() {
        try (ApplicationContext context = EnvironmentVariablesTest.withEnvironment(Map.of())) {
            assertThat(context.findBean(TicketSystem.class)).isEmpty();
            assertThat(context.findBean(Pager.class)).isEmpty();
            assertThat(context.getBean(JiraConfig.class)).usingRecursiveComparison().isEqualTo(new JiraConfig());
            assertThat(context.getBean(PagerDutyConfig.class)).usingRecursiveComparison().isEqualTo(new PagerDutyConfig());
            assertThat(context.getBean(SecretsConfig.class)).usingRecursiveComparison().isEqualTo(new SecretsConfig());
        }
        assertThat(aws.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void everyVariableReachesItsSettingAndTheSecretsComeFromTheirStores() throws Exception {
        aws.stubFor(post("/").withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameter")).willReturn(awsAnswer(200,
                "{\"Parameter\":{\"Name\":\"/nightshift/jira-token\",\"Type\":\"SecureString\",\"Value\":\"jira-token-from-ssm\"}}")));
        aws.stubFor(post("/").withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue")).willReturn(awsAnswer(200,
                JSON.createObjectNode().put("Name", "nightshift/pagerduty").put("SecretString", "{\"payments\":\"PDKEYFROMSECRETSMANAGER\"}").toString())));
        jira.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(201).withBody("{\"key\":\"OPS-1\"}")));
        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202).withBody("{\"status\":\"success\"}")));

        try (ApplicationContext context = EnvironmentVariablesTest.withEnvironment(Map.of(
                "JIRA_URL", jira.baseUrl(),
                "JIRA_USER", "nightshift-bot@example.com",
                "JIRA_API_TOKEN", "aws-ssm:/nightshift/jira-token",
                "JIRA_ISSUE_TYPE", "Incident",
                "JIRA_RESOLVE_TRANSITION", "Close,Resolve",
                "JIRA_REOPEN_TRANSITION", "Back to work",
                "PAGERDUTY_URL", pagerDuty.baseUrl(),
                "PAGERDUTY_ROUTING_KEYS", "payments=aws-secretsmanager:nightshift/pagerduty#payments,checkout=PDPLAINKEYCHECKOUT",
                "AWS_REGION", "eu-central-1"))) {
            JiraConfig jiraSettings = context.getBean(JiraConfig.class);
            assertThat(jiraSettings.getIssueType()).isEqualTo("Incident");
            assertThat(jiraSettings.getResolveTransition()).isEqualTo("Close,Resolve");
            assertThat(jiraSettings.getReopenTransition()).isEqualTo("Back to work");
            assertThat(context.getBean(SecretsConfig.class).getRegion()).isEqualTo("eu-central-1");
            assertThat(aws.findAll(anyRequestedFor(anyUrl()))).as("both secrets read at start").hasSize(2)
                    .allSatisfy(r -> assertThat(r.getHeader("Authorization")).contains("/eu-central-1/"));

            TicketSystem tickets = context.getBean(TicketSystem.class);
            assertThat(tickets).isInstanceOf(JiraTicketSystem.class);
            tickets.create("OPS", NotificationSamples.ticket());
            LoggedRequest create = jira.findAll(postRequestedFor(urlEqualTo("/rest/api/3/issue"))).get(0);
            assertThat(create.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString("nightshift-bot@example.com:jira-token-from-ssm".getBytes(StandardCharsets.UTF_8)));
            assertThat(JSON.readTree(create.getBodyAsString()).path("fields").path("issuetype").path("name").asText()).isEqualTo("Incident");

            Pager pager = context.getBean(Pager.class);
            assertThat(pager.pages("payments")).isTrue();
            assertThat(pager.pages("checkout")).isTrue();
            assertThat(pager.pages("search")).isFalse();
            pager.resolve("payments", NotificationSamples.INCIDENT);
            pager.resolve("checkout", NotificationSamples.INCIDENT);
            assertThat(pagerDuty.findAll(postRequestedFor(urlEqualTo("/v2/enqueue"))))
                    .extracting(r -> JSON.readTree(r.getBodyAsString()).path("routing_key").asText())
                    .containsExactly("PDKEYFROMSECRETSMANAGER", "PDPLAINKEYCHECKOUT");
        }
    }

    @Test
    void aSecretThatCannotBeReadStopsTheStartNamingTheSetting() {
        aws.stubFor(post("/").withHeader("X-Amz-Target", equalTo("AmazonSSM.GetParameter"))
                .willReturn(awsAnswer(400, "{\"__type\":\"ParameterNotFound\",\"message\":\"\"}")));

        assertThatThrownBy(() -> EnvironmentVariablesTest.withEnvironment(jira("aws-ssm:/nightshift/missing")).close())
                .satisfies(e -> assertThat(messages(e))
                        .anyMatch(m -> m.contains("JIRA_API_TOKEN: cannot read SSM Parameter Store parameter /nightshift/missing: ParameterNotFound")));
    }

    @Test
    void anIncompleteOrMalformedSettingStopsTheStartWithoutRepeatingAKey() {
        Map<String, String> noUser = new HashMap<>(jira("plain-token"));
        noUser.remove("JIRA_USER");
        assertThatThrownBy(() -> EnvironmentVariablesTest.withEnvironment(noUser).close())
                .satisfies(e -> assertThat(messages(e)).anyMatch(m -> m.contains("JIRA_URL is set but JIRA_USER (the account's e-mail) is empty")));

        Map<String, String> noToken = new HashMap<>(jira("plain-token"));
        noToken.remove("JIRA_API_TOKEN");
        assertThatThrownBy(() -> EnvironmentVariablesTest.withEnvironment(noToken).close())
                .satisfies(e -> assertThat(messages(e)).anyMatch(m -> m.contains("JIRA_API_TOKEN is empty")));

        assertThatThrownBy(() -> EnvironmentVariablesTest.withEnvironment(Map.of("PAGERDUTY_ROUTING_KEYS", "payments=PDKEY1,PDKEYWITHOUTATEAM")).close())
                .satisfies(e -> assertThat(messages(e)).anyMatch(m -> m.contains("PAGERDUTY_ROUTING_KEYS: entry 2 is not team=key"))
                        .noneMatch(m -> m.contains("PDKEY")));
    }

    private Map<String, String> jira(String token) {
        return Map.of("JIRA_URL", jira.baseUrl(), "JIRA_USER", "nightshift-bot@example.com", "JIRA_API_TOKEN", token, "AWS_REGION", "eu-west-1");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder awsAnswer(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    /** The messages of an exception and its causes. */
    private static List<String> messages(Throwable error) {
        List<String> messages = new java.util.ArrayList<>();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }
}
