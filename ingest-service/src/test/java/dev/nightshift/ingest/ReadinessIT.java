package dev.nightshift.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.testkit.FreePorts;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.TestBroker;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ingest is ready (200 on /health and /health/readiness) only while it can write to alerts.raw, and
 * says DOWN with 503 otherwise: before the broker can be reached, when alerts.raw does not exist,
 * while the registry cannot give the alerts' schema id, and after the broker is gone. Liveness
 * stays 200 all along: the process itself is fine.
 */
@WithKafkaStack
class ReadinessIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void withNoBrokerToReachTheServiceIsNotReady(KafkaStack stack) {
        TopicNames names = TopicNames.withPrefix(KafkaStack.unique("unreachable") + ".");
        try (IngestTestServer ingest = IngestTestServer.start("127.0.0.1:" + FreePorts.next(), stack.schemaRegistryUrl(),
                names, Map.of())) {
            assertNotReady(ingest, "did not describe " + names.alertsRaw());
            assertThat(ingest.get("/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutTheAlertsRawTopicTheServiceIsNotReady(KafkaStack stack) {
        TopicNames names = TopicNames.withPrefix(KafkaStack.unique("no-topic") + ".");
        try (IngestTestServer ingest = IngestTestServer.start(stack.bootstrapServers(), stack.schemaRegistryUrl(), names,
                Map.of())) {
            assertNotReady(ingest, "the topic " + names.alertsRaw() + " does not exist");
        }
    }

    @Test
    void untilTheRegistryGivesTheAlertsSchemaIdTheServiceIsNotReady(KafkaStack stack) {
        TopicNames names = TopicNames.withPrefix(KafkaStack.unique("no-registry") + ".");
        stack.createTopics(1, names.alertsRaw(), names.alertsRejected());
        try (IngestTestServer ingest = IngestTestServer.start(stack.bootstrapServers(),
                "http://127.0.0.1:" + FreePorts.next() + "/apis/ccompat/v7", names, Map.of())) {
            assertNotReady(ingest, "the schema registry did not give the id of the alerts' schema");
        }
    }

    @Test
    void theServiceIsReadyWhileItsBrokerIsUpAndNotReadyOnceItIsGone(KafkaStack stack) throws Exception {
        TestBroker broker = KafkaStack.startBroker();
        try {
            TopicNames names = TopicNames.withPrefix(KafkaStack.unique("readiness") + ".");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(names.alertsRaw(), 2, (short) 1),
                        new NewTopic(names.alertsRejected(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (IngestTestServer ingest = IngestTestServer.start(broker.bootstrapServers(), stack.schemaRegistryUrl(), names,
                    Map.of())) {
                for (String path : List.of("/health", "/health/readiness")) {
                    HttpResponse<String> ready = await().atMost(Duration.ofSeconds(30))
                            .until(() -> ingest.get(path), r -> r.statusCode() == 200);
                    JsonNode body = json(ready);
                    assertThat(body.get("status").asText()).isEqualTo("UP");
                    assertThat(body.at("/details/alertsRaw/status").asText()).isEqualTo("UP");
                    assertThat(body.at("/details/alertsRaw/details/topic").asText()).isEqualTo(names.alertsRaw());
                    assertThat(body.at("/details/alertsRaw/details/partitions").asInt()).isEqualTo(2);
                }
                assertThat(ingest.postAuthorized("/v1/alerts", "{\"name\":\"ready\",\"state\":\"firing\"}").statusCode())
                        .isEqualTo(202);

                broker.close();

                assertNotReady(ingest, "did not describe " + names.alertsRaw());
            }
        } finally {
            broker.close();
        }
    }

    /** Both /health and /health/readiness come to answer 503, DOWN, with the reason given. */
    private static void assertNotReady(IngestTestServer ingest, String reason) {
        for (String path : List.of("/health", "/health/readiness")) {
            HttpResponse<String> notReady = await().atMost(Duration.ofSeconds(30))
                    .until(() -> ingest.get(path), r -> r.statusCode() == 503);
            JsonNode body = json(notReady);
            assertThat(body.get("status").asText()).isEqualTo("DOWN");
            assertThat(body.at("/details/alertsRaw/status").asText()).isEqualTo("DOWN");
            assertThat(body.at("/details/alertsRaw/details/reason").asText()).contains(reason);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
