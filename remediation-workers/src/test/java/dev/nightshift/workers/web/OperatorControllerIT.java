package dev.nightshift.workers.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.auth.KeyDigests;
import dev.nightshift.commands.Controls;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.CommandKind;
import dev.nightshift.schema.ControlKind;
import dev.nightshift.schema.PlaybookCommand;
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
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operators' HTTP endpoint on the workers service, against a real broker and registry: without the operator key
 * nothing is written, a wrong command is refused with what is wrong, and an accepted one is on its topic as the runner
 * reads it, with the person and the channel {@code http}.
 */
@WithKafkaStack
class OperatorControllerIT {
    private static final String KEY = "operator-key-for-the-test";
    private static final String STEP = "inc-42:dynamodb-throttling:1:scale";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withTheKeyACommandIsWrittenWithThePersonAndTheChannelWithoutItNothingIs(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("operator") + ".";
        Topics topics = topics(stack, prefix);
        // the digest of another key first: a rotation keeps two
        try (EmbeddedServer workers = workers(stack, prefix, KeyDigests.sha256Hex("the-old-key") + "," + KeyDigests.sha256Hex(KEY))) {
            String approval = "{\"as\": \"sam@example.com\", \"reason\": \"the load test is over\"}";
            assertThat(post(workers, "/v1/approvals/" + STEP + "/approve", null, approval).statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = post(workers, "/v1/approvals/" + STEP + "/approve", "Bearer not-the-key", approval);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain(KEY).doesNotContain("not-the-key");
            assertThat(post(workers, "/v1/automation/pause", "Basic " + KEY, "{\"as\": \"sam@example.com\"}").statusCode())
                    .as("only a bearer key counts").isEqualTo(401);

            HttpResponse<String> notAStep = post(workers, "/v1/steps/inc-42/undo", "Bearer " + KEY, "{\"as\": \"sam@example.com\"}");
            assertThat(notAStep.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(notAStep.body()).path("error").asText()).contains("'inc-42' is not a step id");
            HttpResponse<String> nobody = post(workers, "/v1/approvals/" + STEP + "/approve", "Bearer " + KEY, "{}");
            assertThat(nobody.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(nobody.body()).path("error").asText()).contains("say who you are");
            assertThat(post(workers, "/v1/actions/dynamodb-scale/explode", "Bearer " + KEY, "{\"as\": \"sam@example.com\"}").statusCode())
                    .isEqualTo(400);
            assertThat(post(workers, "/v1/automation/pause", "Bearer " + KEY, "{\"as\": \"sam@example.com\", \"until\": \"tomorrow\"}")
                    .statusCode()).isEqualTo(400);

            assertThat(post(workers, "/v1/approvals/" + STEP + "/approve", "Bearer " + KEY, approval).statusCode()).isEqualTo(202);
            assertThat(post(workers, "/v1/automation/pause", "Bearer " + KEY,
                    "{\"as\": \"U0123ABCD\", \"service\": \"orders-api\", \"until\": \"PT2H\", \"reason\": \"game day\"}").statusCode()).isEqualTo(202);
            assertThat(post(workers, "/v1/steps/" + STEP + "/undo", "Bearer " + KEY, "{\"as\": \"sam@example.com\"}").statusCode()).isEqualTo(202);

            List<ConsumerRecord<String, ApprovalDecision>> decisions = readAll(stack, topics.approvalDecisions(), 1);
            assertThat(decisions).as("the refused calls wrote nothing").singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo(STEP);
                ApprovalDecision decision = record.value();
                assertThat(decision.getApproved()).isTrue();
                assertThat(decision.getIncidentId()).isEqualTo("inc-42");
                assertThat(decision.getDecidedBy()).isEqualTo("sam@example.com");
                assertThat(decision.getChannel()).isEqualTo("http");
                assertThat(decision.getReason()).isEqualTo("the load test is over");
            });
            List<ConsumerRecord<String, AutomationControl>> controls = readAll(stack, topics.automationControl(), 1);
            assertThat(controls).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo(Controls.pauseOf("orders-api"));
                assertThat(record.value().getKind()).isEqualTo(ControlKind.PAUSE);
                assertThat(record.value().getBy()).isEqualTo("U0123ABCD");
                assertThat(record.value().getChannel()).isEqualTo("http");
                assertThat(record.value().getUntil()).isAfter(record.value().getAt().plus(Duration.ofMinutes(119)));
            });
            List<ConsumerRecord<String, PlaybookCommand>> commands = readAll(stack, topics.playbookCommands(), 1);
            assertThat(commands).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("inc-42");
                assertThat(record.value().getKind()).isEqualTo(CommandKind.UNDO);
                assertThat(record.value().getRequestId()).isEqualTo(STEP);
                assertThat(record.value().getChannel()).isEqualTo("http");
            });
        }
    }

    @Test
    void withNoKeyConfiguredEveryCallIsRefused(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("operator") + ".";
        Topics topics = topics(stack, prefix);
        try (EmbeddedServer workers = workers(stack, prefix, "")) {
            assertThat(post(workers, "/v1/automation/pause", null, "{\"as\": \"sam@example.com\"}").statusCode()).isEqualTo(401);
            assertThat(post(workers, "/v1/automation/pause", "Bearer ", "{\"as\": \"sam@example.com\"}").statusCode()).isEqualTo(401);
            assertThat(post(workers, "/v1/automation/pause", "Bearer anything", "{\"as\": \"sam@example.com\"}").statusCode()).isEqualTo(401);
            assertThat(readAll(stack, topics.automationControl(), 0)).isEmpty();
        }
    }

    private static Topics topics(KafkaStack stack, String prefix) throws Exception {
        Topics topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        // as many partitions as the incidents topic the runner creates, so the runner beside the endpoint starts
        stack.createTopics(3, topics.approvalDecisions().name(), topics.automationControl().name(), topics.playbookCommands().name());
        return topics;
    }

    private static EmbeddedServer workers(KafkaStack stack, String prefix, String digests) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "nightshift.topics.prefix", prefix,
                "workers.group-id", KafkaStack.unique("workers"),
                "workers.runner.application-id", KafkaStack.unique("runner"),
                "workers.operator-key-sha256", digests,
                "micronaut.server.port", -1));
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    private HttpResponse<String> post(EmbeddedServer server, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURL() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
