package dev.nightshift.workers.operator;

import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.ResponseKind;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code ./pipeline ack} on a real broker and registry: the acknowledgement is on incident.responses as triage reads it. */
@WithKafkaStack
class OperatorCliIT {
    @Test
    void ackWritesTheAcknowledgementOfThePersonKeyedByTheIncident(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("cli") + ".";
        Topics topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        Topic<String, IncidentResponse> responses = topics.incidentResponses();
        stack.createTopics(2, responses.name());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = OperatorCli.run(new String[]{"ack", "fp-orders-1a2b", "--as", "sam@example.com"}, Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(), "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                        "NIGHTSHIFT_TOPICS_PREFIX", prefix)::get,
                new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("acknowledged fp-orders-1a2b as sam@example.com");
        List<ConsumerRecord<String, IncidentResponse>> written = new ArrayList<>();
        try (KafkaConsumer<String, IncidentResponse> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, KafkaStack.unique("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), responses.keySerde().deserializer(), responses.valueSerde().deserializer())) {
            reader.subscribe(List.of(responses.name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(written::add);
                return !written.isEmpty();
            });
        }
        assertThat(written).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("fp-orders-1a2b");
            assertThat(record.value().getKind()).isEqualTo(ResponseKind.ACKNOWLEDGED);
            assertThat(record.value().getBy()).isEqualTo("sam@example.com");
            assertThat(record.value().getChannel()).isEqualTo("cli");
        });
    }
}
