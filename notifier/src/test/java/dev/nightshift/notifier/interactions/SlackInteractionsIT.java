package dev.nightshift.notifier.interactions;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.nightshift.notifier.slack.Buttons;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.CommandKind;
import dev.nightshift.schema.ControlKind;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.PlaybookCommand;
import dev.nightshift.schema.ResponseKind;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running notifier on a real broker and registry, taking button presses as Slack sends them (form-encoded,
 * signed) on {@code POST /v1/slack/interactions}, with a local fake of Slack's Web API for users.info: each button's
 * record on its topic, and nothing at all from a request Slack did not sign.
 */
@WithKafkaStack
class SlackInteractionsIT {
    private static final String SECRET = "signing-secret-of-the-test-app";
    private static final String TOKEN = "xoxb-bot-token-of-the-test-app";
    private static final String STEP = "fp-orders-1a2b:dynamodb-throttling:1:1";
    private static final String INCIDENT = "fp-orders-1a2b";
    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer slack;

    @BeforeEach
    void startSlack() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        slack.stubFor(post("/api/users.info").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(containing("user=U0AAA1"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":true,\"user\":{\"id\":\"U0AAA1\",\"profile\":{\"email\":\"sam@example.com\"}}}")));
        slack.stubFor(post("/api/users.info").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(containing("user=U0BBB2"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":false,\"error\":\"user_not_found\"}")));
    }

    @AfterEach
    void stopSlack() {
        slack.stop();
    }

    @Test
    void eachSignedPressIsOnItsTopicNamingTheSlackUserAndAForgedOneWritesNothing(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("interactions") + ".";
        Topics topics = topics(stack, prefix);
        try (EmbeddedServer notifier = notifier(stack, prefix, SECRET)) {
            byte[] forged = Presses.press("U0EVE5", Buttons.APPROVE, STEP);
            assertThat(send(notifier, forged, now(), SlackSignatureVerifier.sign("not-the-secret", now(), forged)).statusCode())
                    .isEqualTo(401);

            assertThat(press(notifier, "U0AAA1", Buttons.APPROVE, STEP).statusCode()).isEqualTo(200);
            assertThat(press(notifier, "U0BBB2", Buttons.REJECT, STEP).statusCode()).isEqualTo(200);
            assertThat(press(notifier, "U0AAA1", Buttons.ACKNOWLEDGE, INCIDENT).statusCode()).isEqualTo(200);
            assertThat(press(notifier, "U0AAA1", Buttons.SWITCH_ON, "dynamodb-scale").statusCode()).isEqualTo(200);
            assertThat(press(notifier, "U0BBB2", Buttons.RETRY, STEP).statusCode()).isEqualTo(200);
            assertThat(press(notifier, "U0AAA1", "not_our_button", "x").statusCode()).as("Slack expects 200 for anything it sent")
                    .isEqualTo(200);

            List<ConsumerRecord<String, ApprovalDecision>> decisions = readAll(stack, topics.approvalDecisions(), 2);
            assertThat(decisions).as("the approval and the rejection; nothing from the forged press").hasSize(2);
            assertThat(decisions).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo(STEP);
                assertThat(r.value().getApprovalId()).isEqualTo(STEP);
                assertThat(r.value().getIncidentId()).isEqualTo(INCIDENT);
                assertThat(r.value().getChannel()).isEqualTo("slack");
            });
            ApprovalDecision approval = decisions.stream().map(ConsumerRecord::value).filter(ApprovalDecision::getApproved).findFirst().orElseThrow();
            assertThat(approval.getDecidedBy()).isEqualTo("U0AAA1");
            assertThat(approval.getDecidedByAliases()).as("the e-mail Slack's users.info gave").containsExactly("sam@example.com");
            ApprovalDecision rejection = decisions.stream().map(ConsumerRecord::value).filter(d -> !d.getApproved()).findFirst().orElseThrow();
            assertThat(rejection.getDecidedBy()).isEqualTo("U0BBB2");
            assertThat(rejection.getDecidedByAliases()).isEmpty();

            assertThat(readAll(stack, topics.incidentResponses(), 1)).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo(INCIDENT);
                IncidentResponse response = r.value();
                assertThat(response.getKind()).isEqualTo(ResponseKind.ACKNOWLEDGED);
                assertThat(response.getBy()).isEqualTo("U0AAA1");
                assertThat(response.getByAliases()).containsExactly("sam@example.com");
                assertThat(response.getChannel()).isEqualTo("slack");
            });
            assertThat(readAll(stack, topics.automationControl(), 1)).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("action:dynamodb-scale");
                AutomationControl control = r.value();
                assertThat(control.getKind()).isEqualTo(ControlKind.ENABLE);
                assertThat(control.getTarget()).isEqualTo("dynamodb-scale");
                assertThat(control.getBy()).isEqualTo("U0AAA1");
                assertThat(control.getChannel()).isEqualTo("slack");
            });
            assertThat(readAll(stack, topics.playbookCommands(), 1)).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo(INCIDENT);
                PlaybookCommand command = r.value();
                assertThat(command.getKind()).isEqualTo(CommandKind.RETRY);
                assertThat(command.getRequestId()).isEqualTo(STEP);
                assertThat(command.getBy()).isEqualTo("U0BBB2");
                assertThat(command.getChannel()).isEqualTo("slack");
            });

            assertThat(slack.findAll(postRequestedFor(urlEqualTo("/api/users.info")))).as("a look-up per Approve, Reject and Acknowledge")
                    .hasSize(3).allSatisfy(call -> assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN));
            String metrics = get(notifier, "/prometheus");
            assertThat(metrics).containsPattern("nightshift_slack_presses_total\\{button=\"approve\",result=\"recorded\"[^}]*} 1\\.0")
                    .containsPattern("nightshift_slack_presses_total\\{button=\"retry\",result=\"recorded\"[^}]*} 1\\.0")
                    .containsPattern("nightshift_slack_presses_total\\{button=\"unknown\",result=\"ignored\"[^}]*} 1\\.0")
                    .containsPattern("nightshift_slack_requests_refused_total\\{reason=\"forged\"[^}]*} 1\\.0");
        }
    }

    @Test
    void everyRequestSlackDidNotSignJustNowAndOnceIsRefusedWith401AndWritesNothing(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("interactions") + ".";
        Topics topics = topics(stack, prefix);
        try (EmbeddedServer notifier = notifier(stack, prefix, SECRET)) {
            byte[] body = Presses.press("U0AAA1", Buttons.APPROVE, STEP);
            String now = now();
            String sixMinutesAgo = Long.toString(Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond());
            String sixMinutesAhead = Long.toString(Instant.now().plus(Duration.ofMinutes(6)).getEpochSecond());
            byte[] altered = Presses.press("U0AAA1", Buttons.APPROVE, STEP.replace(":1:1", ":1:2"));

            List<HttpResponse<String>> refused = new ArrayList<>();
            refused.add(send(notifier, body, now, SlackSignatureVerifier.sign("another-secret", now, body)));
            refused.add(send(notifier, altered, now, SlackSignatureVerifier.sign(SECRET, now, body)));
            refused.add(send(notifier, body, sixMinutesAgo, SlackSignatureVerifier.sign(SECRET, sixMinutesAgo, body)));
            refused.add(send(notifier, body, sixMinutesAhead, SlackSignatureVerifier.sign(SECRET, sixMinutesAhead, body)));
            refused.add(send(notifier, body, null, SlackSignatureVerifier.sign(SECRET, now, body)));
            refused.add(send(notifier, body, now, null));
            String signature = SlackSignatureVerifier.sign(SECRET, now, body);
            HttpResponse<String> first = send(notifier, body, now, signature);
            refused.add(send(notifier, body, now, signature));

            assertThat(first.statusCode()).as("the one request Slack signed").isEqualTo(200);
            assertThat(refused).extracting(HttpResponse::statusCode).containsOnly(401);
            assertThat(refused).extracting(HttpResponse::body).as("the same few words, whatever was wrong").containsOnly("unauthorized");
            assertThat(readAll(stack, topics.approvalDecisions(), 1)).as("only the signed press, once").singleElement()
                    .satisfies(r -> assertThat(r.value().getDecidedBy()).isEqualTo("U0AAA1"));
            assertThat(get(notifier, "/prometheus")).containsPattern("nightshift_slack_requests_refused_total\\{reason=\"replayed\"[^}]*} 1\\.0")
                    .containsPattern("nightshift_slack_requests_refused_total\\{reason=\"stale\"[^}]*} 2\\.0")
                    .containsPattern("nightshift_slack_requests_refused_total\\{reason=\"unsigned\"[^}]*} 2\\.0");
        }
    }

    @Test
    void withoutASigningSecretEveryPressIsRefused(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("interactions") + ".";
        Topics topics = topics(stack, prefix);
        try (EmbeddedServer notifier = notifier(stack, prefix, null)) {
            byte[] body = Presses.press("U0AAA1", Buttons.ACKNOWLEDGE, INCIDENT);
            String now = now();

            assertThat(send(notifier, body, now, SlackSignatureVerifier.sign(SECRET, now, body)).statusCode()).isEqualTo(401);
            // HMAC pads a short key with zero bytes: a key of one zero byte signs exactly as the empty key would.
            assertThat(send(notifier, body, now, SlackSignatureVerifier.sign("\0", now, body)).statusCode()).isEqualTo(401);
            assertThat(readAll(stack, topics.incidentResponses(), 0)).isEmpty();
        }
    }

    private EmbeddedServer notifier(KafkaStack stack, String prefix, String secret) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "nightshift.topics.prefix", prefix,
                "notifier.group-id", KafkaStack.unique("notifier-group"),
                "slack.bot-token", TOKEN,
                "slack.api-url", slack.baseUrl() + "/api/"));
        if (secret != null) {
            properties.put("slack.signing-secret", secret);
        }
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    private static Topics topics(KafkaStack stack, String prefix) {
        Topics topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        stack.createTopics(2, topics.approvalDecisions().name(), topics.incidentResponses().name(), topics.automationControl().name(),
                topics.playbookCommands().name(), topics.incidents().name(), topics.remediationOutcomes().name());
        return topics;
    }

    private static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    /** A press as Slack sends it, signed with the app's secret now. */
    private HttpResponse<String> press(EmbeddedServer notifier, String user, String button, String value) throws Exception {
        byte[] body = Presses.press(user, button, value);
        String now = now();
        return send(notifier, body, now, SlackSignatureVerifier.sign(SECRET, now, body));
    }

    private HttpResponse<String> send(EmbeddedServer notifier, byte[] body, String timestamp, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(notifier.getURL() + "/v1/slack/interactions"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (timestamp != null) {
            request.header("X-Slack-Request-Timestamp", timestamp);
        }
        if (signature != null) {
            request.header("X-Slack-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String get(EmbeddedServer notifier, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(notifier.getURL() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Every record on the topic, once at least {@code expected} are there (and a moment more for any straggler). */
    private static <V> List<ConsumerRecord<String, V>> readAll(KafkaStack stack, Topic<String, V> topic, int expected) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= expected;
            });
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return true;
            });
        }
        return seen;
    }
}
