package dev.nightshift.workers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workers service on a real broker and registry (its AWS calls to a local fake of DynamoDB's API): requests
 * in, outcomes out, poison to the dead-letter topic, retries in order, and readiness only with an assignment.
 */
@WithKafkaStack
class ActionConsumerIT {
    private static final String DESCRIBE_TABLE = "DynamoDB_20120810.DescribeTable";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer dynamo;

    @BeforeAll
    static void credentials() {
        // The SDK's default chain reads these first; nothing here reaches AWS.
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret");
    }

    @AfterAll
    static void noCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void startDynamo() {
        dynamo = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        dynamo.start();
    }

    @AfterEach
    void stopDynamo() {
        dynamo.stop();
    }

    @Test
    void dryRunRequestBecomesAPlannedOutcomeAndAPoisonRecordIsDeadLettered(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("workers") + ".";
        Topics topics = topics(stack, prefix);
        Topic<String, RemediationRequest> actions = topics.actions("dynamodb-scale");

        try (EmbeddedServer workers = workers(stack, prefix, KafkaStack.unique("workers-group"), Map.of());
             KafkaProducer<byte[], byte[]> producer = producer(stack)) {
            byte[] key = "inc-r1".getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(actions.name(), key, "not avro at all".getBytes(StandardCharsets.UTF_8))).get();
            RemediationRequest request = Requests.request("r1", "dynamodb-scale", "dynamodb:table/orders-eu", Map.of("factor", "2"));
            producer.send(new ProducerRecord<>(actions.name(), key, actions.valueSerde().serializer().serialize(actions.name(), request))).get();

            List<RemediationOutcome> outcomes = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> reader = reader(stack, KafkaStack.unique("reader"))) {
                reader.subscribe(List.of(topics.remediationOutcomes().name(), actions.deadLetterName()));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                        if (record.topic().equals(actions.deadLetterName())) {
                            deadLetters.add(record);
                        } else {
                            outcomes.add(topics.remediationOutcomes().valueSerde().deserializer().deserialize(record.topic(), record.value()));
                        }
                    }
                    return !outcomes.isEmpty() && !deadLetters.isEmpty();
                });
            }
            RemediationOutcome outcome = outcomes.get(0);
            assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.PLANNED);
            assertThat(outcome.getDryRun()).isTrue();
            assertThat(outcome.getIncidentId()).isEqualTo("inc-r1");
            assertThat(outcome.getSummary()).contains("would raise the provisioned capacity of DynamoDB table orders-eu");
            ConsumerRecord<byte[], byte[]> poison = deadLetters.get(0);
            assertThat(new String(poison.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
            assertThat(DeadLetters.header(poison.headers(), DeadLetters.TOPIC)).isEqualTo(actions.name());
            assertThat(DeadLetters.header(poison.headers(), DeadLetters.ERROR_MESSAGE)).contains("magic byte");
        }
    }

    @Test
    void aStepWhoseAwsCallFailsIsRetriedBeforeTheStepsBehindItAndRecordedFailedWhenItsTriesAreUsedUp(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("workers") + ".";
        Topics topics = topics(stack, prefix);
        Topic<String, RemediationRequest> actions = topics.actions("dynamodb-scale");
        // orders-eu: DynamoDB is unavailable once, then answers; payments-eu answers; ledger-eu never does.
        dynamo.stubFor(post("/").withHeader("X-Amz-Target", equalTo(DESCRIBE_TABLE)).withRequestBody(containing("orders-eu"))
                .inScenario("outage").whenScenarioStateIs(STARTED).willReturn(unavailable()).willSetStateTo("back"));
        dynamo.stubFor(post("/").withHeader("X-Amz-Target", equalTo(DESCRIBE_TABLE)).withRequestBody(containing("orders-eu"))
                .inScenario("outage").whenScenarioStateIs("back").willReturn(onDemandTable("orders-eu")));
        dynamo.stubFor(post("/").withHeader("X-Amz-Target", equalTo(DESCRIBE_TABLE)).withRequestBody(containing("payments-eu"))
                .willReturn(onDemandTable("payments-eu")));
        dynamo.stubFor(post("/").withHeader("X-Amz-Target", equalTo(DESCRIBE_TABLE)).withRequestBody(containing("ledger-eu"))
                .willReturn(unavailable()));

        try (EmbeddedServer workers = workers(stack, prefix, KafkaStack.unique("workers-group"),
                Map.of("workers.dry-run", false, "aws.endpoint-url", dynamo.baseUrl()));
             KafkaProducer<byte[], byte[]> producer = producer(stack)) {
            for (String[] step : new String[][]{{"r1", "orders-eu"}, {"r2", "payments-eu"}, {"r3", "ledger-eu"}}) {
                RemediationRequest request = Requests.request(step[0], "dynamodb-scale", "dynamodb:table/" + step[1], Map.of());
                request.setIncidentId("inc-storm");   // one incident: one partition, in this order
                producer.send(new ProducerRecord<>(actions.name(), "inc-storm".getBytes(StandardCharsets.UTF_8),
                        actions.valueSerde().serializer().serialize(actions.name(), request))).get();
            }

            List<RemediationOutcome> outcomes = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> reader = reader(stack, KafkaStack.unique("reader"))) {
                reader.subscribe(List.of(topics.remediationOutcomes().name()));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                        outcomes.add(topics.remediationOutcomes().valueSerde().deserializer().deserialize(record.topic(), record.value()));
                    }
                    return outcomes.size() >= 3;
                });
            }
            assertThat(outcomes).extracting(RemediationOutcome::getRequestId).containsExactly("r1", "r2", "r3");
            assertThat(outcomes).extracting(RemediationOutcome::getStatus)
                    .containsExactly(OutcomeStatus.SUCCEEDED, OutcomeStatus.SUCCEEDED, OutcomeStatus.FAILED);
            assertThat(outcomes.get(0).getSummary()).isEqualTo("table orders-eu is on-demand; nothing to scale");
            assertThat(outcomes.get(2).getSummary()).isEqualTo("dynamodb-scale failed after retries: ServiceUnavailableException: unavailable");
        }
        List<String> calls = dynamo.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(DESCRIBE_TABLE)))
                .stream().map(LoggedRequest::getBodyAsString).map(body -> body.replaceAll(".*\"TableName\":\"([^\"]+)\".*", "$1")).toList();
        assertThat(calls).as("r1 failed and was retried before r2 ran; r3 had its 3 tries")
                .containsExactly("orders-eu", "orders-eu", "payments-eu", "ledger-eu", "ledger-eu", "ledger-eu");
    }

    @Test
    void healthIsDownUntilTheConsumerHasJoinedItsGroupAndHasItsAssignment(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("workers") + ".";
        Topics topics = topics(stack, prefix);
        String group = KafkaStack.unique("workers-group");
        // A member that joined the group and stops polling holds the next rebalance until it leaves.
        try (KafkaConsumer<byte[], byte[]> idleMember = idleMember(stack, group, topics.actions("dynamodb-scale").name())) {
            try (EmbeddedServer workers = workers(stack, prefix, group, Map.of())) {
                await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(2)).until(() -> {
                    JsonNode loop = health(workers, "/health").path("details").path("workers-actions");
                    return loop.path("status").asText().equals("DOWN") && loop.path("details").path("polling").asBoolean();
                });
                assertThat(status(workers, "/health")).isEqualTo(503);
                assertThat(health(workers, "/health").path("status").asText()).isEqualTo("DOWN");
                assertThat(status(workers, "/health/readiness")).isEqualTo(503);

                idleMember.close();
                await().atMost(Duration.ofSeconds(60)).until(() -> status(workers, "/health") == 200);
                assertThat(health(workers, "/health").path("status").asText()).isEqualTo("UP");
                assertThat(status(workers, "/health/readiness")).isEqualTo(200);
            }
        }
    }

    private EmbeddedServer workers(KafkaStack stack, String prefix, String group, Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "nightshift.topics.prefix", prefix,
                "workers.group-id", group));
        properties.putAll(more);
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    private static Topics topics(KafkaStack stack, String prefix) {
        Topics topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        stack.createTopics(2, topics.actions("dynamodb-scale").name(), topics.remediationOutcomes().name());
        return topics;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder unavailable() {
        return aResponse().withStatus(503).withHeader("Content-Type", "application/x-amz-json-1.0")
                .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ServiceUnavailableException\",\"message\":\"unavailable\"}");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder onDemandTable(String table) {
        return aResponse().withHeader("Content-Type", "application/x-amz-json-1.0").withBody("""
                {"Table":{"TableName":"%s","TableStatus":"ACTIVE","BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"}}}
                """.formatted(table));
    }

    private int status(EmbeddedServer server, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode health(EmbeddedServer server, String path) throws IOException, InterruptedException {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** A member of the group that has its assignment and then stops polling (it stays in the group until closed). */
    private static KafkaConsumer<byte[], byte[]> idleMember(KafkaStack stack, String group, String topic) {
        KafkaConsumer<byte[], byte[]> member = reader(stack, group, Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 120_000));
        member.subscribe(List.of(topic));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            member.poll(Duration.ofMillis(100));
            return !member.assignment().isEmpty();
        });
        return member;
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaStack stack) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private static KafkaConsumer<byte[], byte[]> reader(KafkaStack stack, String group) {
        return reader(stack, group, Map.of());
    }

    private static KafkaConsumer<byte[], byte[]> reader(KafkaStack stack, String group, Map<String, Object> more) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        config.putAll(more);
        return new KafkaConsumer<>(config);
    }
}
