package dev.nightshift.workers;

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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The workers service on a real broker and registry: requests in, outcomes out, poison to the dead-letter topic. */
@WithKafkaStack
class ActionConsumerIT {
    @Test
    void dryRunRequestBecomesAPlannedOutcomeAndAPoisonRecordIsDeadLettered(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("workers") + ".";
        Topics topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        Topic<String, RemediationRequest> actions = topics.actions("dynamodb-scale");
        stack.createTopics(2, actions.name(), topics.remediationOutcomes().name());

        try (ApplicationContext workers = ApplicationContext.run(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "nightshift.topics.prefix", prefix,
                "nightshift.workers.group-id", KafkaStack.unique("workers-group")));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                     ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                     ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            byte[] key = "inc-r1".getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(actions.name(), key, "not avro at all".getBytes(StandardCharsets.UTF_8))).get();
            RemediationRequest request = Requests.request("r1", "dynamodb-scale", "dynamodb:table/orders-eu", Map.of("factor", "2"));
            producer.send(new ProducerRecord<>(actions.name(), key, actions.valueSerde().serializer().serialize(actions.name(), request))).get();

            List<RemediationOutcome> outcomes = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> reader = reader(stack)) {
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

    private static KafkaConsumer<byte[], byte[]> reader(KafkaStack stack) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KafkaStack.unique("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }
}
