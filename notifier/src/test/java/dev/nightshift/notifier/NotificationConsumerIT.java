package dev.nightshift.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.RemediationOutcome;
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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier service on a real broker and registry, posting to a local fake Slack webhook: what reaches Slack,
 * retries in order, dead-lettering, and readiness only with an assignment.
 */
@WithKafkaStack
class NotificationConsumerIT {
    private static final String HOOK = "/services/T1/B1/hooksecret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer slack;

    @BeforeEach
    void startSlack() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
    }

    @AfterEach
    void stopSlack() {
        slack.stop();
    }

    @Test
    void incidentChangesAndStepOutcomesReachSlackButRepeatsDoNot(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("notifier") + ".";
        Topics topics = topics(stack, prefix);
        Topic<String, Incident> incidents = topics.incidents();
        Topic<String, RemediationOutcome> outcomes = topics.remediationOutcomes();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));

        try (EmbeddedServer notifier = notifier(stack, prefix, KafkaStack.unique("notifier-group"));
             KafkaProducer<String, Incident> incidentProducer = producer(stack, incidents);
             KafkaProducer<String, RemediationOutcome> outcomeProducer = producer(stack, outcomes)) {
            incidentProducer.send(new ProducerRecord<>(incidents.name(), "inc-9", Records.incident("inc-9", "opened", IncidentState.OPEN, 1))).get();
            incidentProducer.send(new ProducerRecord<>(incidents.name(), "inc-9", Records.incident("inc-9", "repeated", IncidentState.OPEN, 2))).get();
            outcomeProducer.send(new ProducerRecord<>(outcomes.name(), "inc-9", Records.outcome("inc-9"))).get();
            incidentProducer.send(new ProducerRecord<>(incidents.name(), "inc-9", Records.incident("inc-9", "resolved", IncidentState.RESOLVED, 2))).get();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(slack.findAll(postRequestedFor(urlEqualTo(HOOK)))).hasSize(3));
            List<String> texts = slack.findAll(postRequestedFor(urlEqualTo(HOOK))).stream().map(LoggedRequest::getBodyAsString).toList();
            assertThat(texts).anySatisfy(t -> assertThat(t).contains("[OPEN]").contains("inc-9"));
            assertThat(texts).anySatisfy(t -> assertThat(t).contains("dynamodb-scale: PLANNED"));
            assertThat(texts).anySatisfy(t -> assertThat(t).contains("[RESOLVED]").contains("2 occurrences"));
        }
    }

    @Test
    void aRateLimitedMessageIsPostedAfterSlacksWaitBeforeTheNextRecordAndNotDeadLettered(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("notifier") + ".";
        Topic<String, Incident> incidents = topics(stack, prefix).incidents();
        slack.stubFor(post(HOOK).inScenario("rate limit").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2").withBody("rate_limited"))
                .willSetStateTo("let through"));
        slack.stubFor(post(HOOK).inScenario("rate limit").whenScenarioStateIs("let through")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        String group = KafkaStack.unique("notifier-group");

        try (EmbeddedServer notifier = notifier(stack, prefix, group);
             KafkaProducer<String, Incident> producer = producer(stack, incidents)) {
            producer.send(new ProducerRecord<>(incidents.name(), "inc-3", Records.incident("inc-3", "opened", IncidentState.OPEN, 1))).get();
            producer.send(new ProducerRecord<>(incidents.name(), "inc-3", Records.incident("inc-3", "resolved", IncidentState.RESOLVED, 1))).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> committed(stack, group, incidents.name()) == 2);
        }
        List<LoggedRequest> posts = slack.findAll(postRequestedFor(urlEqualTo(HOOK)));
        assertThat(posts).extracting(post -> post.getBodyAsString().contains("[OPEN]") ? "opened" : "resolved")
                .as("the rate-limited message is posted again before the record behind it").containsExactly("opened", "opened", "resolved");
        assertThat(Duration.ofMillis(posts.get(1).getLoggedDate().getTime() - posts.get(0).getLoggedDate().getTime()))
                .as("after the 2 s Slack asked for").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(slack.getAllServeEvents()).filteredOn(e -> e.getResponse().getStatus() == 200).hasSize(2);
        assertThat(deadLettered(stack, incidents.deadLetterName())).isZero();
    }

    @Test
    void aRemovedWebhookSendsTheRecordToTheDeadLetterTopicWithoutRetries(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("notifier") + ".";
        Topic<String, Incident> incidents = topics(stack, prefix).incidents();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(404).withBody("no_service")));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try (EmbeddedServer notifier = notifier(stack, prefix, KafkaStack.unique("notifier-group"));
             KafkaProducer<String, Incident> producer = producer(stack, incidents);
             KafkaConsumer<byte[], byte[]> reader = reader(stack, KafkaStack.unique("reader"))) {
            producer.send(new ProducerRecord<>(incidents.name(), "inc-4", Records.incident("inc-4", "opened", IncidentState.OPEN, 1))).get();
            reader.subscribe(List.of(incidents.deadLetterName()));

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(deadLetters::add);
                return !deadLetters.isEmpty();
            });
        }
        assertThat(slack.findAll(postRequestedFor(urlEqualTo(HOOK)))).hasSize(1);
        assertThat(deadLetters).hasSize(1);
        String error = DeadLetters.header(deadLetters.get(0).headers(), DeadLetters.ERROR_MESSAGE);
        assertThat(error).contains("404").doesNotContain("hooksecret");
    }

    @Test
    void healthIsDownUntilTheConsumerHasJoinedItsGroupAndHasItsAssignment(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("notifier") + ".";
        Topic<String, Incident> incidents = topics(stack, prefix).incidents();
        String group = KafkaStack.unique("notifier-group");
        // A member that joined the group and stops polling holds the next rebalance until it leaves.
        try (KafkaConsumer<byte[], byte[]> idleMember = idleMember(stack, group, incidents.name())) {
            try (EmbeddedServer notifier = notifier(stack, prefix, group)) {
                await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(2)).until(() -> {
                    JsonNode loop = health(notifier, "/health").path("details").path("notifier");
                    return loop.path("status").asText().equals("DOWN") && loop.path("details").path("polling").asBoolean();
                });
                assertThat(status(notifier, "/health")).isEqualTo(503);
                assertThat(health(notifier, "/health").path("status").asText()).isEqualTo("DOWN");
                assertThat(status(notifier, "/health/readiness")).isEqualTo(503);

                idleMember.close();
                await().atMost(Duration.ofSeconds(60)).until(() -> status(notifier, "/health") == 200);
                assertThat(health(notifier, "/health").path("status").asText()).isEqualTo("UP");
                assertThat(status(notifier, "/health/readiness")).isEqualTo(200);
            }
        }
    }

    private EmbeddedServer notifier(KafkaStack stack, String prefix, String group) {
        return ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "nightshift.topics.prefix", prefix,
                "notifier.group-id", group,
                "slack.webhook.url", slack.baseUrl() + HOOK));
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
        KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 120_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        member.subscribe(List.of(topic));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            member.poll(Duration.ofMillis(100));
            return !member.assignment().isEmpty();
        });
        return member;
    }

    private static Topics topics(KafkaStack stack, String prefix) {
        Topics topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        stack.createTopics(2, topics.incidents().name(), topics.remediationOutcomes().name());
        return topics;
    }

    /** The group's committed offsets on a topic, summed over its partitions. */
    private static long committed(KafkaStack stack, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = stack.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** How many records a dead-letter topic holds (none when it does not exist). */
    private static long deadLettered(KafkaStack stack, String topic) {
        try (KafkaConsumer<byte[], byte[]> reader = reader(stack, KafkaStack.unique("reader"))) {
            List<TopicPartition> partitions = reader.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return reader.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static KafkaConsumer<byte[], byte[]> reader(KafkaStack stack, String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, V> producer(KafkaStack stack, Topic<String, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), topic.valueSerde().serializer());
    }
}
