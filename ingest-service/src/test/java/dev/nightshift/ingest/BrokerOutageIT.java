package dev.nightshift.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schema.Alert;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.TestBroker;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.TopicNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker stopped mid-test: what was acknowledged is on the topic, and what was not is answered 503. */
@WithKafkaStack
class BrokerOutageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStoppedBrokerGets503WithRetryAfterAndNothingAcknowledgedIsLost(KafkaStack stack) throws Exception {
        TestBroker broker = KafkaStack.startBroker();
        IngestTestServer ingest = null;
        try {
            TopicNames names = TopicNames.withPrefix(KafkaStack.unique("outage") + ".");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(names.alertsRaw(), 3, (short) 1),
                        new NewTopic(names.alertsRejected(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            ingest = IngestTestServer.start(broker.bootstrapServers(), stack.schemaRegistryUrl(), names, Map.of(
                    "nightshift.ingest.producer.delivery-timeout", "3s",
                    "nightshift.ingest.producer.request-timeout", "1s",
                    "nightshift.ingest.producer.max-block", "1s",
                    "nightshift.ingest.retry-after", "7s"));

            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = ingest.postAuthorized("/v1/alerts",
                        "{\"name\":\"before-outage-" + i + "\",\"state\":\"firing\"}");
                assertThat(response.statusCode()).isEqualTo(202);
                acknowledged.add(JSON.readTree(response.body()).get("alertIds").get(0).asText());
            }
            try (TopicReader<Alert> reader = ingest.alerts()) {
                assertThat(reader.awaitAtLeast(5)).extracting(r -> r.value().getAlertId()).containsAll(acknowledged);
            }

            broker.close();

            long started = System.nanoTime();
            HttpResponse<String> refused = ingest.postAuthorized("/v1/alerts", """
                    [{"name":"during-outage-1","state":"firing"},{"name":"during-outage-2","state":"firing"}]
                    """);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("7");
            JsonNode body = JSON.readTree(refused.body());
            assertThat(body.get("accepted").asInt()).isZero();
            assertThat(body.get("alerts")).allSatisfy(a -> assertThat(a.get("status").asText()).isEqualTo("failed"));
            assertThat(took).isLessThan(Duration.ofSeconds(15));
            assertThat(ingest.get("/health").statusCode()).isEqualTo(503);
        } finally {
            if (ingest != null) {
                ingest.close();
            }
            broker.close();
        }
    }
}
