package dev.nightshift.deploy;

import dev.nightshift.kafka.KafkaSettings;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.serde.SchemaRegistryClient;
import dev.nightshift.testkit.FreePorts;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** The local stack for the end-to-end tests: on free ports with its state in a directory of its own, and its topics read back. */
final class TestStacks {
    private TestStacks() {
    }

    /** The repository's root, where the services' build output is. */
    static Path home() {
        return Path.of(System.getProperty("nightshift.home", "..")).toAbsolutePath().normalize();
    }

    /** The stack's settings with every port free and its state in a new directory under deploy/target. */
    static StackConfig onFreePorts(String name) throws IOException {
        Path home = home();
        Path data = Files.createTempDirectory(home.resolve("deploy").resolve("target"), name);
        Map<String, String> env = new HashMap<>(System.getenv());
        for (String port : List.of("KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "REGISTRY_PORT", "INGEST_PORT", "TRIAGE_PORT",
                "WORKERS_PORT", "NOTIFIER_PORT")) {
            env.put(port, Integer.toString(FreePorts.next()));
        }
        env.remove("INGEST_API_KEY");
        env.remove("SLACK_WEBHOOK_URL");
        StackConfig defaults = StackConfig.fromEnvironment(home, env);
        return new StackConfig(home, data, defaults.kafkaPort(), defaults.controllerPort(), defaults.registryPort(),
                defaults.ingestPort(), defaults.triagePort(), defaults.workersPort(), defaults.notifierPort(),
                defaults.javaOpts(), defaults.env());
    }

    /** Reads topics from the start, as a read_committed consumer, until the records satisfy the condition. */
    static <T extends SpecificRecord> List<T> read(StackConfig config, List<String> topics, Class<T> type, Predicate<List<T>> enough) {
        RegistryAvroDeserializer<T> deserializer = new RegistryAvroDeserializer<>(
                SchemaRegistryClient.shared(RegistryConfig.of(config.registryUrl())), type);
        List<T> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaSettings.of(config.bootstrapServers())
                .consumer("e2e-" + System.nanoTime(), "e2e"))) {
            consumer.subscribe(topics);
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    records.add(deserializer.deserialize(record.topic(), record.value()));
                }
                return enough.test(records);
            });
            // anything else already written arrives in the next poll
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                records.add(deserializer.deserialize(record.topic(), record.value()));
            }
        }
        return records;
    }
}
