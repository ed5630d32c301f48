package dev.nightshift.notifier;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.nightshift.notifier.interactions.SlackSignatureVerifier;
import dev.nightshift.notifier.slack.Buttons;
import dev.nightshift.notifier.slack.FakeSlackApi;
import dev.nightshift.notifier.slack.SlackBlocks;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.ResponseKind;
import dev.nightshift.schema.Severity;
import dev.nightshift.schema.Vote;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.ServiceProcess;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.TopicNames;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An approval asked and given in Slack, through the whole pipeline on a real broker and registry: the workers service as
 * shipped (the playbook runner and the executors, live, in a JVM of its own, started from its module's build, the AWS
 * SDK pointed at a local stand-in for Lambda) and the notifier as shipped (planner, delivery worker, interactions
 * endpoint) against the fake Slack Web API. An incident whose playbook's one change needs an approval from
 * {@code sam@example.com} gets its approval request as a reply with Approve / Reject in its thread; Approve pressed by
 * someone else (a signed press, their e-mail from users.info) is recorded, not counted, and nothing runs; Approve
 * pressed by Sam (a Slack user id whose e-mail is on the list) goes to approvals.decisions, the step runs once (its
 * outcome on remediation.outcomes, one call at "AWS"), the reply is updated to name Sam without its buttons, and the
 * step's outcome is a reply in the thread. Acknowledge records who acknowledged on incident.responses.
 */
@WithKafkaStack
class ApprovalRoundTripIT {
    private static final String SECRET = "signing-secret-of-the-round-trip-app";
    private static final String PLAYBOOK = "checkout-throttled";
    private static final String FUNCTION = "checkout-7";
    private static final String SAM = "U0SAM1";
    private static final String EVE = "U0EVE2";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anAllowedApproverPressingApproveInSlackRunsTheStepOnceAndAnyoneElsesPressRunsNothing(KafkaStack stack, @TempDir Path dir)
            throws Exception {
        WireMockServer aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        aws.start();
        aws.stubFor(get(urlPathMatching("/2019-09-30/functions/[^/]+/concurrency")).willReturn(json("{\"ReservedConcurrentExecutions\":20}")));
        aws.stubFor(put(urlPathMatching("/2017-10-31/functions/[^/]+/concurrency")).willReturn(json("{\"ReservedConcurrentExecutions\":50}")));
        try (NotifierHarness world = new NotifierHarness(stack, "round-trip")) {
            TopicNames names = world.topics.names();
            stack.createTopics(NotifierHarness.PARTITIONS, names.playbookCommands(), names.incidentResponses(), names.automationControl(),
                    names.actions("lambda-concurrency"));
            stack.admin().createTopics(List.of(new NewTopic(names.actionsLedger(), NotifierHarness.PARTITIONS, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get(30, TimeUnit.SECONDS);
            world.slack.channel("payments", "C0PAY").user(SAM, "sam@example.com").user(EVE, "eve@example.com");

            EmbeddedServer notifier = world.start(Map.of("SLACK_SIGNING_SECRET", SECRET));
            try (ServiceProcess workers = ServiceProcess.start("dev.nightshift.workers.WorkersApplication",
                    ServiceProcess.moduleClasspath(Path.of("..", "remediation-workers")), List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
                    workers(stack, world.prefix, dir, aws.baseUrl()), "WORKERS_PORT", log("round-trip-workers"))) {
                await().atMost(Duration.ofSeconds(120)).until(() -> readiness(workers) == 200);
                Incident incident = incident("checkout-throttle-" + Long.toString(System.currentTimeMillis(), 36));
                world.send(world.topics.incidents(), incident.getIncidentId(), incident);

                // The approval request, as a reply with Approve / Reject in the incident's thread.
                await().atMost(WAIT).until(() -> approvalReply(world.slack) != null);
                FakeSlackApi.Call asked = approvalReply(world.slack);
                assertThat(asked.token()).isEqualTo(NotifierHarness.TOKEN);
                assertThat(asked.param("channel")).isEqualTo("C0PAY");
                String parentTs = world.slack.messages().stream().filter(m -> m.threadTs == null).findFirst().orElseThrow().ts;
                assertThat(asked.param("thread_ts")).isEqualTo(parentTs);
                assertThat(asked.buttons()).extracting(SlackBlocks.Button::label).containsExactly("Approve", "Reject");
                assertThat(asked.visible()).contains("lambda-concurrency").contains(FUNCTION);
                String approvalId = asked.buttons().get(0).value();
                String replyTs = world.slack.messages().stream()
                        .filter(m -> asked.notificationId().equals(NotifierLifeIT.notificationIdOf(m.metadata))).findFirst().orElseThrow().ts;

                // Someone not on the approvers' list: recorded, not counted; nothing runs.
                assertThat(press(notifier, EVE, Buttons.APPROVE, approvalId).statusCode()).isEqualTo(200);
                await().atMost(WAIT).until(() -> latest(world, approvalId) != null && !latest(world, approvalId).getVotes().isEmpty());
                assertThat(latest(world, approvalId)).satisfies(request -> {
                    assertThat(request.getStatus()).isEqualTo(ApprovalStatus.PENDING);
                    assertThat(request.getVotes()).extracting(Vote::getBy, Vote::getCounted).containsExactly(
                            org.assertj.core.groups.Tuple.tuple(EVE, false));
                });
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                        outcomes(world, incident).isEmpty() && aws.findAll(putRequestedFor(urlEqualTo(changePath()))).isEmpty());

                // Sam, listed by e-mail, pressing as their Slack user: the decision, then the step, once.
                assertThat(press(notifier, SAM, Buttons.APPROVE, approvalId).statusCode()).isEqualTo(200);
                assertThat(world.readAll(world.topics.approvalDecisions())).extracting(ConsumerRecord::value)
                        .extracting(ApprovalDecision::getDecidedBy, ApprovalDecision::getDecidedByAliases, ApprovalDecision::getChannel)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(EVE, List.of("eve@example.com"), "slack"),
                                org.assertj.core.groups.Tuple.tuple(SAM, List.of("sam@example.com"), "slack"));
                await().atMost(WAIT).until(() -> !outcomes(world, incident).isEmpty());
                RemediationOutcome outcome = outcomes(world, incident).get(0);
                assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
                assertThat(outcome.getAction()).isEqualTo("lambda-concurrency");
                assertThat(outcome.getDryRun()).isFalse();
                assertThat(outcome.getApprovedBy()).containsExactly("sam@example.com");
                assertThat(latest(world, approvalId).getStatus()).isEqualTo(ApprovalStatus.APPROVED);

                // Slack: the request's reply now names Sam and has no buttons; the step's outcome is a reply in the thread.
                await().atMost(WAIT).untilAsserted(() -> {
                    FakeSlackApi.Message reply = world.slack.message(replyTs);
                    assertThat(SlackBlocks.visible(reply.blocks)).contains("sam@example.com");
                    assertThat(SlackBlocks.buttons(reply.blocks)).isEmpty();
                    assertThat(NotifierLifeIT.replies(world.slack)).filteredOn(r -> r.param("thread_ts").equals(parentTs))
                            .anySatisfy(r -> assertThat(r.visible()).contains("lambda-concurrency").containsIgnoringCase("succeeded"));
                });
                assertThat(world.slack.calls("chat.update")).filteredOn(c -> c.param("ts").equals(replyTs))
                        .allSatisfy(c -> assertThat(c.token()).isEqualTo(NotifierHarness.TOKEN));

                // Acknowledge: who and when, on incident.responses, for triage.
                assertThat(press(notifier, SAM, Buttons.ACKNOWLEDGE, incident.getIncidentId()).statusCode()).isEqualTo(200);
                assertThat(world.readAll(world.topics.incidentResponses())).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo(incident.getIncidentId());
                    IncidentResponse response = r.value();
                    assertThat(response.getKind()).isEqualTo(ResponseKind.ACKNOWLEDGED);
                    assertThat(response.getBy()).isEqualTo(SAM);
                    assertThat(response.getByAliases()).containsExactly("sam@example.com");
                    assertThat(response.getChannel()).isEqualTo("slack");
                });

                // However long it waits, the change was made once at "AWS", and reported once.
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> outcomes(world, incident).size() == 1);
                assertThat(aws.findAll(putRequestedFor(urlEqualTo(changePath())))).hasSize(1);
            } finally {
                notifier.getApplicationContext().close();
                aws.stop();
            }
        }
    }

    private static Map<String, String> workers(KafkaStack stack, String prefix, Path dir, String aws) throws Exception {
        Path playbooks = Files.writeString(dir.resolve("playbooks.yaml"), """
                playbooks:
                  %s:
                    description: Checkout is throttled; give it room, once someone on call agrees.
                    steps:
                      - name: concurrency
                        action: lambda-concurrency
                        parameters: {function: "${alert.labels.FunctionName}", reservedConcurrency: "50"}
                        approval: {in: [prod], required: 1, approvers: [sam@example.com]}
                        timeout: PT30S
                """.formatted(PLAYBOOK));
        String app = KafkaStack.unique("round-trip");
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("NIGHTSHIFT_TOPICS_PREFIX", prefix);
        env.put("WORKERS_DRY_RUN", "false");
        env.put("WORKERS_GROUP_ID", app + "-workers");
        env.put("WORKERS_RUNNER_APPLICATION_ID", app + "-runner");
        env.put("WORKERS_RUNNER_STATE_DIR", Files.createDirectories(dir.resolve("runner-state")).toString());
        env.put("WORKERS_RUNNER_PLAYBOOKS_FILE", playbooks.toString());
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL", aws);
        env.put("AWS_ACCESS_KEY_ID", "AKIDTEST");
        env.put("AWS_SECRET_ACCESS_KEY", "test-secret");
        return env;
    }

    /** An opened HIGH incident of team payments in prod, as triage writes it, whose playbook needs an approval. */
    private static Incident incident(String id) {
        Instant now = Instant.now();
        return Incident.newBuilder().setIncidentId(id).setFingerprint(id.substring(0, id.lastIndexOf('-'))).setState(IncidentState.OPEN)
                .setSource(AlertSource.CLOUDWATCH).setName("checkout Throttles").setTitle("Checkout is throttled").setSeverity(Severity.HIGH)
                .setCategory("capacity").setOwner(new Owner("payments", "checkout", "#payments", "PAY", "prod"))
                .setResource("lambda:function/" + FUNCTION).setPlaybook(PLAYBOOK)
                .setLabels(Map.of("FunctionName", FUNCTION, "env", "prod")).setAccount("123456789012").setRegion("eu-west-1")
                .setLastAlertId("alert-" + id).setChange("opened").setVersion(1).setOpenedAt(now).setLastSeenAt(now).setUpdatedAt(now)
                .build();
    }

    private static String changePath() {
        return "/2017-10-31/functions/" + FUNCTION + "/concurrency";
    }

    /** The reply (taken by Slack) that carries Approve / Reject, or null before it. */
    private static FakeSlackApi.Call approvalReply(FakeSlackApi slack) {
        return NotifierLifeIT.replies(slack).stream().filter(r -> r.buttons().stream().anyMatch(b -> b.actionId().equals(Buttons.APPROVE)))
                .findFirst().orElse(null);
    }

    private static ApprovalRequest latest(NotifierHarness world, String approvalId) {
        List<ApprovalRequest> of = world.readAll(world.topics.approvalRequests()).stream().map(ConsumerRecord::value)
                .filter(r -> r.getApprovalId().equals(approvalId)).toList();
        return of.isEmpty() ? null : of.get(of.size() - 1);
    }

    private static List<RemediationOutcome> outcomes(NotifierHarness world, Incident incident) {
        return world.readAll(world.topics.remediationOutcomes()).stream().map(ConsumerRecord::value)
                .filter(o -> o.getIncidentId().equals(incident.getIncidentId())).toList();
    }

    /** A button press as Slack sends it (form-encoded {@code block_actions}), signed with the app's secret now. */
    private HttpResponse<String> press(EmbeddedServer notifier, String user, String actionId, String value) throws Exception {
        String payload = """
                {"type":"block_actions","user":{"id":"%s","username":"someone","team_id":"T0TEAM1"},"api_app_id":"A0APP1",
                 "team":{"id":"T0TEAM1","domain":"nightshift"},"channel":{"id":"C0PAY","name":"payments"},
                 "container":{"type":"message","message_ts":"1","channel_id":"C0PAY"},"trigger_id":"1.2.x",
                 "actions":[{"action_id":"%s","block_id":"b1","value":"%s","type":"button","action_ts":"1.2"}]}
                """.formatted(user, actionId, value);
        byte[] body = ("payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        String now = Long.toString(Instant.now().getEpochSecond());
        return http.send(HttpRequest.newBuilder(URI.create(notifier.getURL() + "/v1/slack/interactions"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Slack-Request-Timestamp", now)
                .header("X-Slack-Signature", SlackSignatureVerifier.sign(SECRET, now, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int readiness(ServiceProcess workers) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(workers.url() + "/health/readiness")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static Path log(String name) throws Exception {
        return Files.createDirectories(Path.of("target")).resolve(name + ".log");
    }
}
