package dev.nightshift.workers.executor;

import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test's own topics for the workers, as the local stack creates them (the ledger compacted; the runner's inputs, so that
 * the service is ready), and the requests on them.
 */
final class WorkerTopics {
    private WorkerTopics() {
    }

    static Topics create(KafkaStack stack, String prefix, int partitions, String... actions) throws Exception {
        Topics topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        for (String action : actions) {
            stack.createTopics(partitions, topics.actions(action).name());
        }
        stack.createTopics(partitions, topics.remediationOutcomes().name(), topics.names().incidents(), topics.names().playbookCommands(),
                topics.names().playbookRuns());
        stack.admin().createTopics(java.util.List.of(new NewTopic(topics.actionsLedger().name(), partitions, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get(30, TimeUnit.SECONDS);
        return topics;
    }

    /**
     * The workers' settings for a test's topics and group, live (not in dry-run), with the fake actions, and a playbook
     * over them (the shipped playbooks name actions these tests replace, so the runner would refuse to start on them).
     */
    static Map<String, String> settings(KafkaStack stack, String prefix, String group, FakeAws aws) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "nightshift.topics.prefix", prefix,
                "workers.group-id", group,
                "workers.dry-run", "false",
                "workers.runner.playbooks-file", playbooks().toString(),
                "workers.runner.application-id", group + "-runner",
                "workers.runner.state-dir", stateDir().toString(),
                "fake-aws.url", aws.url()));
        return settings;
    }

    /** A state directory of the runner's own: two instances on one machine each need theirs. */
    static Path stateDir() {
        try {
            return Files.createTempDirectory("runner-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path playbooks() {
        try {
            Path file = Files.createTempFile("fake-playbooks", ".yaml");
            file.toFile().deleteOnExit();
            return Files.writeString(file, """
                    playbooks:
                      fake-widget:
                        description: Look at the widget, then scale it.
                        steps:
                          - name: describe
                            action: %s
                            parameters: {widget: "${alert.labels.widget}"}
                          - name: scale
                            action: %s
                            parameters: {widget: "${alert.labels.widget}"}
                    """.formatted(FakeActions.DESCRIBE, FakeActions.SCALE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KafkaProducer<String, RemediationRequest> requests(KafkaStack stack, Topics topics) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5),
                topics.actions("any").keySerde().serializer(), topics.actions("any").valueSerde().serializer());
    }

    /** Sends the request to its action's topic, keyed by its incident, as the runner does. */
    static void send(KafkaProducer<String, RemediationRequest> producer, Topics topics, RemediationRequest request) throws Exception {
        producer.send(new ProducerRecord<>(topics.actions(request.getAction()).name(), request.getIncidentId(), request)).get(30, TimeUnit.SECONDS);
    }
}
