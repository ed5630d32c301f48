package dev.nightshift.notifier;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.nightshift.notifier.jira.FakeJira;
import dev.nightshift.notifier.slack.FakeSlackApi;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

/**
 * The notifier's surroundings for an integration test: its own topics (a unique prefix) on the real broker and
 * registry, a fake Slack Web API, a fake Jira and a PagerDuty stand-in, and the settings that point the notifier at
 * them; the notifier itself runs in this JVM ({@link #start}) or is given its settings as environment variables to run
 * in its own ({@link #environment}).
 */
final class NotifierHarness implements AutoCloseable {
    static final String TOKEN = "xoxb-test-bot-token";
    static final String JIRA_USER = "notifier@example.com";
    static final String JIRA_TOKEN = "jira-test-token";
    static final String ROUTING_KEY = "R0PAYMENTSKEY";
    static final int PARTITIONS = 3;

    final KafkaStack stack;
    final String prefix;
    final Topics topics;
    final FakeSlackApi slack;
    final FakeJira jira;
    final WireMockServer pagerDuty;
    final Path stateDir;
    private final String groupId;
    private final String plannerId;
    private final KafkaProducer<byte[], byte[]> producer;
    private final HttpClient http = HttpClient.newHttpClient();

    NotifierHarness(KafkaStack stack, String name) throws IOException {
        this.stack = stack;
        this.prefix = KafkaStack.unique(name) + ".";
        this.topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        TopicNames names = topics.names();
        stack.createTopics(PARTITIONS, names.incidents(), names.remediationOutcomes(), names.playbookRuns(), names.approvalRequests(),
                names.approvalDecisions(), names.notificationsOutbox(), names.notificationsDeliveries());
        this.slack = new FakeSlackApi();
        this.jira = new FakeJira(JIRA_USER, JIRA_TOKEN);
        this.pagerDuty = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        pagerDuty.start();
        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}")));
        this.stateDir = Files.createTempDirectory("notifier-planner");
        this.groupId = KafkaStack.unique("notifier");
        this.plannerId = KafkaStack.unique("notifier-planner");
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The notifier's settings as the environment variables the README documents. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("NIGHTSHIFT_TOPICS_PREFIX", prefix);
        env.put("NOTIFIER_GROUP_ID", groupId);
        env.put("NOTIFIER_GROUP_INSTANCE_ID", groupId + "-1");
        env.put("NOTIFIER_PLANNER_APPLICATION_ID", plannerId);
        env.put("NOTIFIER_PLANNER_GROUP_INSTANCE_ID", plannerId + "-1");
        env.put("NOTIFIER_PLANNER_STATE_DIR", stateDir.toString());
        env.put("NOTIFIER_RETRY_MAX_WAIT", "PT5S");
        env.put("SLACK_BOT_TOKEN", TOKEN);
        env.put("SLACK_API_URL", slack.url());
        env.put("JIRA_URL", jira.url());
        env.put("JIRA_USER", JIRA_USER);
        env.put("JIRA_API_TOKEN", JIRA_TOKEN);
        env.put("PAGERDUTY_URL", pagerDuty.baseUrl());
        env.put("PAGERDUTY_ROUTING_KEYS", "payments=" + ROUTING_KEY);
        return env;
    }

    /** The notifier (planner, delivery worker, interactions endpoint) in this JVM, on a free port, ready. */
    EmbeddedServer start(Map<String, String> more) {
        Map<String, String> variables = new HashMap<>(environment());
        variables.putAll(more);
        PropertySource environment = new MapPropertySource("environment variables", variables) {
            @Override
            public PropertyConvention getConvention() {
                return PropertyConvention.ENVIRONMENT_VARIABLE;
            }
        };
        ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false).propertySources(environment)
                .properties(Map.of("micronaut.server.port", -1)).start();
        EmbeddedServer notifier = context.getBean(EmbeddedServer.class);
        notifier.start();
        awaitHealthy(notifier.getURL().toString());
        return notifier;
    }

    /** Waits until {@code /health} answers 200: the planner RUNNING and the delivery worker holding its partitions. */
    void awaitHealthy(String base) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> health(base) == 200);
    }

    int health(String base) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String get(String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Writes the record as the pipeline would, and waits for the broker's acknowledgement. */
    <V> void send(Topic<String, V> topic, String key, V value) {
        try {
            byte[] k = topic.keySerde().serializer().serialize(topic.name(), key);
            byte[] v = topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), k, v)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + topic.name(), e);
        }
    }

    /** Every record on the topic now, read from the beginning (committed records only). */
    <V> List<ConsumerRecord<String, V>> readAll(Topic<String, V> topic) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        return seen;
    }

    /** The records (committed) on a topic of raw bytes, such as a dead-letter topic; none when it does not exist yet. */
    List<ConsumerRecord<byte[], byte[]>> readRaw(String topic) {
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (!consumer.listTopics(Duration.ofSeconds(10)).containsKey(topic)) {
                return seen;
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        return seen;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        slack.close();
        jira.close();
        pagerDuty.stop();
    }
}
