package dev.nightshift.notifier.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.notifier.NotificationSamples;
import dev.nightshift.notifier.delivery.DeliveryException;
import dev.nightshift.notifier.jira.TicketSystem.Ticket;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.nightshift.notifier.NotificationSamples.INCIDENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link JiraTicketSystem} against a local fake of Jira Cloud's REST API v3: the requests on the wire and what Jira's answers become. */
class JiraTicketSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "ATATT3xFfGF0-jira-token-value";
    private static final String USER = "nightshift-bot@example.com";
    private WireMockServer jira;
    private JiraTicketSystem tickets;

    @BeforeEach
    void start() {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        JiraConfig config = new JiraConfig();
        config.setUrl(jira.baseUrl() + "/");
        config.setUser(USER);
        config.setApiToken("aws-ssm:/nightshift/jira-token");
        tickets = new JiraTicketSystem(config, TOKEN);
    }

    @AfterEach
    void stop() {
        jira.stop();
    }

    @Test
    void createMakesATicketInTheProjectWithTheTitleTheLabelsAndAnAdfDescription() throws Exception {
        jira.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"10042\",\"key\":\"OPS-42\",\"self\":\"" + jira.baseUrl() + "/rest/api/3/issue/10042\"}")));

        Ticket ticket = tickets.create("OPS", NotificationSamples.ticket());

        assertThat(ticket).isEqualTo(new Ticket("OPS-42", jira.baseUrl() + "/browse/OPS-42"));
        LoggedRequest request = only(postRequestedFor(urlEqualTo("/rest/api/3/issue")));
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + base64(USER + ":" + TOKEN));
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        JsonNode fields = body(request).path("fields");
        assertThat(fields.path("project").path("key").asText()).isEqualTo("OPS");
        assertThat(fields.path("summary").asText()).isEqualTo("Throttled reads on orders-eu");
        assertThat(fields.path("issuetype").path("name").asText()).isEqualTo("Task");
        assertThat(fields.path("labels")).extracting(JsonNode::asText).containsExactly("nightshift", "nightshift-" + INCIDENT);
        JsonNode description = fields.path("description");
        assertThat(description.path("type").asText()).isEqualTo("doc");
        assertThat(description.path("version").asInt()).isEqualTo(1);
        assertThat(description.path("content")).extracting(n -> n.path("type").asText()).contains("paragraph", "heading", "bulletList");
        assertThat(AdfReader.lines(description)).contains(
                "nightshift opened this ticket for incident " + INCIDENT + ".",
                "Severity: HIGH", "State: OPEN", "Alert: orders-eu-read-throttle", "Source: CLOUDWATCH", "Category: database",
                "Owner: payments", "Service: orders", "Environment: prod", "Resource: dynamodb:table/orders-eu",
                "Account: 123456789012", "Region: eu-west-1", "Playbook: dynamodb-throttling", "Opened: 2026-11-21 03:00:00 UTC",
                "Occurrences: 3", "Incident id: " + INCIDENT);
        assertThat(AdfReader.nodes(description, "text")).filteredOn(t -> t.has("marks") && t.path("marks").get(0).path("type").asText().equals("link"))
                .singleElement().satisfies(link -> {
                    assertThat(link.path("text").asText()).isEqualTo("runbook_url");
                    assertThat(link.path("marks").get(0).path("attrs").path("href").asText()).isEqualTo("https://wiki.example.com/runbooks/dynamodb-throttling");
                });
    }

    @Test
    void theIncidentsTextStaysTextInTheSummaryAndTheDescription() throws Exception {
        jira.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(201).withBody("{\"key\":\"OPS-43\"}")));
        String title = "*orders* [click|https://evil.example.com] {code}@here\nsecond line";
        Incident incident = Incident.newBuilder(NotificationSamples.incident()).setTitle(title)
                .setResource("h{color:red}x{color}").setLabels(Map.of("dashboard", "javascript:alert(1)")).build();

        tickets.create("OPS", Notification.newBuilder(NotificationSamples.ticket()).setIncident(incident).build());

        JsonNode fields = body(only(postRequestedFor(urlEqualTo("/rest/api/3/issue")))).path("fields");
        assertThat(fields.path("summary").asText()).as("one line").isEqualTo("*orders* [click|https://evil.example.com] {code}@here second line");
        assertThat(AdfReader.lines(fields.path("description"))).contains("Resource: h{color:red}x{color}");
        assertThat(AdfReader.nodes(fields.path("description"), "text")).extracting(t -> t.path("marks").toString())
                .as("no link is made of a value that is not a web address, nor any mark but bold").noneMatch(m -> m.contains("link"))
                .allMatch(m -> m.equals("") || m.equals("[{\"type\":\"strong\"}]"));
    }

    @Test
    void findSearchesTheProjectByTheIncidentsLabel() throws Exception {
        jira.stubFor(post("/rest/api/3/search/jql").willReturn(okJson("{\"issues\":[{\"id\":\"10042\",\"key\":\"OPS-42\"}],\"isLast\":true}")));

        assertThat(tickets.find("OPS", INCIDENT)).contains(new Ticket("OPS-42", jira.baseUrl() + "/browse/OPS-42"));

        LoggedRequest request = only(postRequestedFor(urlEqualTo("/rest/api/3/search/jql")));
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + base64(USER + ":" + TOKEN));
        JsonNode search = body(request);
        assertThat(search.path("jql").asText()).isEqualTo("project = \"OPS\" AND labels = \"nightshift-" + INCIDENT + "\" ORDER BY created ASC");
        assertThat(search.path("fields")).extracting(JsonNode::asText).containsExactly("key");
    }

    @Test
    void findFindsNothingWhenNoTicketHasTheLabel() {
        jira.stubFor(post("/rest/api/3/search/jql").willReturn(okJson("{\"issues\":[],\"isLast\":true}")));

        assertThat(tickets.find("OPS", INCIDENT)).isEmpty();
    }

    @Test
    void aStepOutcomeIsACommentInAdfMarkedWithItsNotificationId() throws Exception {
        jira.stubFor(post("/rest/api/3/issue/OPS-42/comment").willReturn(aResponse().withStatus(201).withBody("{\"id\":\"10100\"}")));
        Notification step = NotificationSamples.stepComment(OutcomeStatus.SUCCEEDED);

        assertThat(tickets.comment(ticket(), step)).isEqualTo("10100");

        JsonNode comment = body(only(postRequestedFor(urlEqualTo("/rest/api/3/issue/OPS-42/comment"))));
        assertThat(comment.path("properties")).singleElement().satisfies(p -> {
            assertThat(p.path("key").asText()).isEqualTo("nightshift");
            assertThat(p.path("value").path("notificationId").asText()).isEqualTo(step.getNotificationId());
        });
        assertThat(comment.path("body").path("type").asText()).isEqualTo("doc");
        assertThat(AdfReader.lines(comment.path("body"))).containsSubsequence(
                "Step 2 scale-table (dynamodb-scale): SUCCEEDED",
                "raised the read capacity of orders-eu from 100 to 200",
                "Plan: double the provisioned read capacity of orders-eu",
                "Resource: dynamodb:table/orders-eu",
                "Approved by: U123ALICE, bob@example.com",
                "Before", "readCapacityUnits: 100",
                "After", "readCapacityUnits: 200");
    }

    @Test
    void aHandOverCommentCarriesItsInstructions() throws Exception {
        jira.stubFor(post("/rest/api/3/issue/OPS-42/comment").willReturn(aResponse().withStatus(201).withBody("{\"id\":\"10101\"}")));
        Notification handOver = NotificationSamples.notification(NotificationKind.TICKET_COMMENT, "handover", INCIDENT + ":comment:handover")
                .setOutcome(NotificationSamples.outcome(OutcomeStatus.HANDED_OVER).setAction("manual")
                        .setInstructions("Check the table's hot partition.\nThen raise the limit.").build()).build();

        tickets.comment(ticket(), handOver);

        assertThat(AdfReader.lines(body(only(postRequestedFor(urlEqualTo("/rest/api/3/issue/OPS-42/comment")))).path("body")))
                .contains("Step 2 scale-table (manual): HANDED_OVER", "Over to you", "Check the table's hot partition.\nThen raise the limit.");
    }

    @Test
    void aDecidedApprovalSaysWhoApprovedAndWhoWasNotCounted() throws Exception {
        jira.stubFor(post("/rest/api/3/issue/OPS-42/comment").willReturn(aResponse().withStatus(201).withBody("{\"id\":\"10102\"}")));
        Notification approved = NotificationSamples.notification(NotificationKind.TICKET_COMMENT, "decision", INCIDENT + ":comment:approval:appr-9")
                .setApproval(NotificationSamples.approval(ApprovalStatus.APPROVED)).build();

        tickets.comment(ticket(), approved);

        assertThat(AdfReader.lines(body(only(postRequestedFor(urlEqualTo("/rest/api/3/issue/OPS-42/comment")))).path("body")))
                .contains("Approval of step scale-table (dynamodb-scale): APPROVED", "Plan: double the provisioned read capacity of orders-eu",
                        "Approved by: U123ALICE", "Not counted (may not approve): U999MALLORY", "Decided: 2026-11-21 03:01:00 UTC");
    }

    @Test
    void anEscalationCommentSaysWhyWithThePlannersSentenceFirst() throws Exception {
        jira.stubFor(post("/rest/api/3/issue/OPS-42/comment").willReturn(aResponse().withStatus(201).withBody("{\"id\":\"10103\"}")));
        Notification escalated = NotificationSamples.notification(NotificationKind.TICKET_COMMENT, "escalated", INCIDENT + ":comment:escalated:1")
                .setText("Paged the payments on-call: the run escalated.").setRun(NotificationSamples.escalatedRun()).build();

        tickets.comment(ticket(), escalated);

        assertThat(AdfReader.lines(body(only(postRequestedFor(urlEqualTo("/rest/api/3/issue/OPS-42/comment")))).path("body")))
                .containsSubsequence("Paged the payments on-call: the run escalated.", "Playbook dynamodb-throttling (run 1): ESCALATED",
                        "Why: step scale-table failed: ValidationException");
    }

    @Test
    void findCommentReadsTheCommentsWithTheirPropertiesPageByPage() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/OPS-42/comment")).withQueryParam("startAt", equalTo("0"))
                .willReturn(okJson("{\"startAt\":0,\"maxResults\":2,\"total\":3,\"comments\":["
                        + "{\"id\":\"1\",\"properties\":[]},"
                        + "{\"id\":\"2\",\"properties\":[{\"key\":\"nightshift\",\"value\":{\"notificationId\":\"" + INCIDENT + ":comment:other\"}}]}]}")));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/OPS-42/comment")).withQueryParam("startAt", equalTo("2"))
                .willReturn(okJson("{\"startAt\":2,\"maxResults\":2,\"total\":3,\"comments\":["
                        + "{\"id\":\"3\",\"properties\":[{\"key\":\"other-app\",\"value\":{}},"
                        + "{\"key\":\"nightshift\",\"value\":{\"notificationId\":\"" + INCIDENT + ":comment:step\"}}]}]}")));

        assertThat(tickets.findComment(ticket(), INCIDENT + ":comment:step")).contains("3");
        assertThat(tickets.findComment(ticket(), INCIDENT + ":comment:never-made")).isEmpty();

        List<LoggedRequest> reads = jira.findAll(getRequestedFor(urlPathEqualTo("/rest/api/3/issue/OPS-42/comment")));
        assertThat(reads).allSatisfy(r -> {
            assertThat(r.queryParameter("expand").firstValue()).isEqualTo("properties");
            assertThat(r.getHeader("Authorization")).isEqualTo("Basic " + base64(USER + ":" + TOKEN));
        });
    }

    @Test
    void findCommentAsksForTheMarkerWhenTheListLeavesPropertiesOut() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/OPS-42/comment"))
                .willReturn(okJson("{\"startAt\":0,\"maxResults\":100,\"total\":2,\"comments\":[{\"id\":\"7\"},{\"id\":\"8\"}]}")));
        jira.stubFor(get("/rest/api/3/comment/7/properties/nightshift").willReturn(aResponse().withStatus(404)
                .withBody("{\"errorMessages\":[\"The property with key 'nightshift' does not exist.\"]}")));
        jira.stubFor(get("/rest/api/3/comment/8/properties/nightshift")
                .willReturn(okJson("{\"key\":\"nightshift\",\"value\":{\"notificationId\":\"" + INCIDENT + ":comment:step\"}}")));

        assertThat(tickets.findComment(ticket(), INCIDENT + ":comment:step")).contains("8");
    }

    @Test
    void resolveTakesTheFirstConfiguredTransitionTheTicketOffers() throws Exception {
        status("indeterminate");
        jira.stubFor(get("/rest/api/3/issue/OPS-42/transitions").willReturn(okJson("{\"transitions\":["
                + "{\"id\":\"11\",\"name\":\"To Do\",\"to\":{\"statusCategory\":{\"key\":\"new\"}}},"
                + "{\"id\":\"41\",\"name\":\"Close Issue\",\"to\":{\"statusCategory\":{\"key\":\"done\"}}},"
                + "{\"id\":\"31\",\"name\":\"Done\",\"to\":{\"statusCategory\":{\"key\":\"done\"}}}]}")));
        jira.stubFor(post("/rest/api/3/issue/OPS-42/transitions").willReturn(aResponse().withStatus(204)));

        tickets.transition(ticket(), "resolve");

        JsonNode taken = body(only(postRequestedFor(urlEqualTo("/rest/api/3/issue/OPS-42/transitions"))));
        assertThat(taken.path("transition").path("id").asText()).as("Done comes before Close Issue in JIRA_RESOLVE_TRANSITION").isEqualTo("31");
    }

    @Test
    void reopenTakesTheReopenTransitionOfADoneTicket() throws Exception {
        status("done");
        jira.stubFor(get("/rest/api/3/issue/OPS-42/transitions").willReturn(okJson("{\"transitions\":["
                + "{\"id\":\"11\",\"name\":\"To Do\"},{\"id\":\"21\",\"name\":\"In Progress\"}]}")));
        jira.stubFor(post("/rest/api/3/issue/OPS-42/transitions").willReturn(aResponse().withStatus(204)));

        tickets.transition(ticket(), "reopen");

        assertThat(body(only(postRequestedFor(urlEqualTo("/rest/api/3/issue/OPS-42/transitions")))).path("transition").path("id").asText())
                .isEqualTo("11");
    }

    @Test
    void aTicketAlreadyWhereTheTransitionGoesIsLeftAlone() {
        status("done");
        tickets.transition(ticket(), "resolve");
        status("new");
        tickets.transition(ticket(), "reopen");

        assertThat(jira.findAll(anyRequestedFor(anyUrl()))).extracting(LoggedRequest::getUrl).containsOnly("/rest/api/3/issue/OPS-42?fields=status");
    }

    @Test
    void aWorkflowWithoutTheNamedTransitionIsAPermanentFailureThatSaysWhatItOffers() {
        status("new");
        jira.stubFor(get("/rest/api/3/issue/OPS-42/transitions").willReturn(okJson("{\"transitions\":[{\"id\":\"5\",\"name\":\"Start work\"},"
                + "{\"id\":\"6\",\"name\":\"Finish\"}]}")));

        assertThatThrownBy(() -> tickets.transition(ticket(), "resolve"))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("Start work, Finish").hasMessageContaining("JIRA_RESOLVE_TRANSITION");
        assertThat(jira.findAll(postRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void rateLimitingIsRetryableAfterJirasWait() {
        jira.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "17")
                .withBody("{\"errorMessages\":[\"Rate limit exceeded.\"]}")));

        assertThatThrownBy(() -> tickets.create("OPS", NotificationSamples.ticket()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(17));
                })
                .hasMessageContaining("429").hasMessageContaining("Rate limit exceeded.");
    }

    @Test
    void serverErrorsAndAnUnreachableJiraAreRetryable() {
        jira.stubFor(post("/rest/api/3/issue/OPS-42/comment").willReturn(aResponse().withStatus(503)));
        jira.stubFor(post("/rest/api/3/search/jql").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> tickets.comment(ticket(), NotificationSamples.stepComment(OutcomeStatus.FAILED)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue()).hasMessageContaining("503");
        assertThatThrownBy(() -> tickets.find("OPS", INCIDENT))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue()).hasMessageContaining("unreachable");
    }

    @Test
    void refusalsArePermanentAndNeverCarryTheToken() {
        String credentials = base64(USER + ":" + TOKEN);
        jira.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(401)
                .withBody("{\"errorMessages\":[\"Bad credentials: Basic " + credentials + " (token " + TOKEN + ")\"]}")));
        jira.stubFor(post("/rest/api/3/search/jql").willReturn(aResponse().withStatus(400)
                .withBody("{\"errorMessages\":[],\"errors\":{\"jql\":\"The value 'NOPE' does not exist for the field 'project'.\"}}")));
        jira.stubFor(post("/rest/api/3/issue/OPS-42/comment").willReturn(aResponse().withStatus(403)));
        jira.stubFor(get("/rest/api/3/issue/OPS-42?fields=status").willReturn(aResponse().withStatus(404)));

        for (Runnable call : List.<Runnable>of(
                () -> tickets.create("OPS", NotificationSamples.ticket()),
                () -> tickets.find("NOPE", INCIDENT),
                () -> tickets.comment(ticket(), NotificationSamples.stepComment(OutcomeStatus.SUCCEEDED)),
                () -> tickets.transition(ticket(), "resolve"))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(DeliveryException.class, e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.retryAfter()).isEmpty();
                assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain(credentials).doesNotContain("Authorization");
            });
        }
        assertThatThrownBy(() -> tickets.create("OPS", NotificationSamples.ticket())).hasMessageContaining("401").hasMessageContaining("Bad credentials");
        assertThatThrownBy(() -> tickets.find("NOPE", INCIDENT)).hasMessageContaining("400").hasMessageContaining("does not exist for the field 'project'");
    }

    @Test
    void theTokenIsNotInTheSettingsOrTheClientsDescription() {
        JiraConfig config = new JiraConfig();
        config.setUrl(jira.baseUrl());
        config.setUser(USER);
        config.setApiToken(TOKEN);

        assertThat(config.toString()).doesNotContain(TOKEN).contains("apiToken=set");
        assertThat(new JiraTicketSystem(config, TOKEN).toString()).doesNotContain(TOKEN).doesNotContain(base64(USER + ":" + TOKEN));
    }

    private void status(String category) {
        jira.stubFor(get("/rest/api/3/issue/OPS-42?fields=status")
                .willReturn(okJson("{\"key\":\"OPS-42\",\"fields\":{\"status\":{\"name\":\"Whatever\",\"statusCategory\":{\"key\":\"" + category + "\"}}}}")));
    }

    private Ticket ticket() {
        return new Ticket("OPS-42", jira.baseUrl() + "/browse/OPS-42");
    }

    private LoggedRequest only(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
        List<LoggedRequest> requests = jira.findAll(pattern);
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static JsonNode body(LoggedRequest request) throws Exception {
        return JSON.readTree(request.getBodyAsString());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
