package dev.nightshift.notifier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.notifier.slack.FakeTime;
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

/** The notifier service on a real broker and registry, posting to a local fake Slack webhook. */
@WithKafkaStack
class NotificationConsumerIT {
    private static final String HOOK = "/services/T1/B1/hooksecret";
    private final FakeTime time = new FakeTime();
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

        try (ApplicationContext notifier = notifier(stack, prefix, KafkaStack.unique("notifier-group"));
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
    void aRateLimitedMessageIsDeliveredOnceAfterSlacksWaitAndNotDeadLettered(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("notifier") + ".";
        Topic<String, Incident> incidents = topics(stack, prefix).incidents();
        slack.stubFor(post(HOOK).inScenario("rate limit").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "20").withBody("rate_limited"))
                .willSetStateTo("let through"));
        slack.stubFor(post(HOOK).inScenario("rate limit").whenScenarioStateIs("let through")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        String group = KafkaStack.unique("notifier-group");

        try (ApplicationContext notifier = notifier(stack, prefix, group);
             KafkaProducer<String, Incident> producer = producer(stack, incidents)) {
            producer.send(new ProducerRecord<>(incidents.name(), "inc-3", Records.incident("inc-3", "opened", IncidentState.OPEN, 1))).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> committed(stack, group, incidents.name()) == 1);
        }
        assertThat(slack.findAll(postRequestedFor(urlEqualTo(HOOK)))).hasSize(2);
        assertThat(slack.getAllServeEvents()).filteredOn(e -> e.getResponse().getStatus() == 200).hasSize(1);
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(20));
        assertThat(deadLettered(stack, incidents.deadLetterName())).isZero();
    }

    @Test
    void aRemovedWebhookSendsTheRecordToTheDeadLetterTopicWithoutRetries(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("notifier") + ".";
        Topic<String, Incident> incidents = topics(stack, prefix).incidents();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(404).withBody("no_service")));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try (ApplicationContext notifier = notifier(stack, prefix, KafkaStack.unique("notifier-group"));
             KafkaProducer<String, Incident> producer = producer(stack, incidents);
             KafkaConsumer<byte[], byte[]> reader = reader(stack)) {
            producer.send(new ProducerRecord<>(incidents.name(), "inc-4", Records.incident("inc-4", "opened", IncidentState.OPEN, 1))).get();
            reader.subscribe(List.of(incidents.deadLetterName()));

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(deadLetters::add);
                return !deadLetters.isEmpty();
            });
        }
        assertThat(slack.findAll(postRequestedFor(urlEqualTo(HOOK)))).hasSize(1);
        assertThat(time.waits()).isEmpty();
        assertThat(deadLetters).hasSize(1);
        String error = DeadLetters.header(deadLetters.get(0).headers(), DeadLetters.ERROR_MESSAGE);
        assertThat(error).contains("404").doesNotContain("hooksecret");
    }

    private ApplicationContext notifier(KafkaStack stack, String prefix, String group) {
        return ApplicationContext.builder()
                .properties(Map.of(
                        "micronaut.server.port", -1,
                        "kafka.bootstrap.servers", stack.bootstrapServers(),
                        "schema.registry.url", stack.schemaRegistryUrl(),
                        "nightshift.topics.prefix", prefix,
                        "nightshift.notifier.group-id", group,
                        "nightshift.notifier.slack-webhook-url", slack.baseUrl() + HOOK))
                .singletons(time)
                .start();
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
        try (KafkaConsumer<byte[], byte[]> reader = reader(stack)) {
            List<TopicPartition> partitions = reader.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return reader.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static KafkaConsumer<byte[], byte[]> reader(KafkaStack stack) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaStack.unique("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, V> producer(KafkaStack stack, Topic<String, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), topic.valueSerde().serializer());
    }
}
