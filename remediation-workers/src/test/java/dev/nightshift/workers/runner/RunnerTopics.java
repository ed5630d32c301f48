package dev.nightshift.workers.runner;

import dev.nightshift.schema.Incident;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test's own topics for the runner and the executors, under a prefix of its own: those the test writes or reads and
 * every {@code actions.<action>} of {@link TestPlaybook} exist before the service starts (the ledger compacted, as the
 * local stack creates it); the service creates the rest. And the incidents on them, as triage writes them.
 */
final class RunnerTopics {
    private RunnerTopics() {
    }

    static Topics create(KafkaStack stack, String prefix, int partitions) throws Exception {
        Topics topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        TopicNames names = topics.names();
        List<String> plain = new ArrayList<>(List.of(names.incidents(), names.remediationOutcomes(), names.playbookCommands(),
                names.playbookRuns()));
        TestPlaybook.ACTIONS.forEach(action -> plain.add(names.actions(action)));
        stack.createTopics(partitions, plain);
        stack.admin().createTopics(List.of(new NewTopic(names.actionsLedger(), partitions, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get(30, TimeUnit.SECONDS);
        return topics;
    }

    static KafkaProducer<String, Incident> incidents(KafkaStack stack, Topics topics) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5),
                topics.incidents().keySerde().serializer(), topics.incidents().valueSerde().serializer());
    }

    /** Writes the incident to {@code incidents}, keyed by its id, as triage does. */
    static void send(KafkaProducer<String, Incident> producer, Topics topics, Incident incident) throws Exception {
        producer.send(new ProducerRecord<>(topics.incidents().name(), incident.getIncidentId(), incident)).get(30, TimeUnit.SECONDS);
    }
}
