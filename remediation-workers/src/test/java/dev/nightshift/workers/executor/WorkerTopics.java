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

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A test's own topics for the workers, as the local stack creates them (the ledger compacted), and the requests on them. */
final class WorkerTopics {
    private WorkerTopics() {
    }

    static Topics create(KafkaStack stack, String prefix, int partitions, String... actions) throws Exception {
        Topics topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        for (String action : actions) {
            stack.createTopics(partitions, topics.actions(action).name());
        }
        stack.createTopics(partitions, topics.remediationOutcomes().name());
        stack.admin().createTopics(java.util.List.of(new NewTopic(topics.actionsLedger().name(), partitions, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get(30, TimeUnit.SECONDS);
        return topics;
    }

    /** The workers' settings for a test's topics and group, live (not in dry-run), with the fake actions. */
    static Map<String, String> settings(KafkaStack stack, String prefix, String group, FakeAws aws) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "nightshift.topics.prefix", prefix,
                "workers.group-id", group,
                "workers.dry-run", "false",
                "fake-aws.url", aws.url()));
        return settings;
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
