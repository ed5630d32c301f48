package dev.nightshift.testkit;

import dev.nightshift.registry.SchemaRegistryServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker and a real schema registry, shared by every test of one JVM. Tests keep out of
 * each other's way by naming their own topics and application ids with {@link #unique(String)}.
 */
public final class KafkaStack implements AutoCloseable {
    private final TestBroker broker;
    private final SchemaRegistryServer registry;
    private final Admin admin;

    private KafkaStack(TestBroker broker, SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    static KafkaStack start() {
        TestBroker broker = startBroker();
        try {
            Path log = Path.of(System.getProperty("java.io.tmpdir"), "nightshift-registry-" + ProcessHandle.current().pid() + ".log");
            SchemaRegistryServer registry = SchemaRegistryServer.start(0, log, Duration.ofSeconds(90));
            return new KafkaStack(broker, registry);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Starts a broker of its own, for a test that stops it on purpose: the shared one is not to be
     * stopped. The caller closes it.
     */
    public static TestBroker startBroker() {
        return ContainerKafkaBroker.dockerAvailable() ? ContainerKafkaBroker.start() : EmbeddedKafkaBroker.start();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The Confluent-compatible registry API, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String schemaRegistryUrl() {
        return registry.confluentUrl();
    }

    public Admin admin() {
        return admin;
    }

    /** A name no other test uses, for topics and application ids. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates topics (and waits for them), each with the given number of partitions. */
    public void createTopics(int partitions, String... names) {
        createTopics(partitions, Arrays.asList(names));
    }

    public void createTopics(int partitions, List<String> names) {
        List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList();
        try {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("could not create topics " + names, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics " + names, e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        registry.close();
        broker.close();
    }
}
