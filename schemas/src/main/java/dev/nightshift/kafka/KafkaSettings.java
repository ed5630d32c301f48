package dev.nightshift.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * How every service reaches the Kafka cluster: the bootstrap servers plus any client properties of
 * a real cluster (security protocol, SASL, TLS), read from a standard Kafka client properties file.
 *
 * @param bootstrapServers the cluster's bootstrap servers
 * @param client           extra client properties, applied to every producer, consumer and admin client
 */
public record KafkaSettings(String bootstrapServers, Map<String, Object> client) {
    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers (KAFKA_BOOTSTRAP_SERVERS) is required");
        }
        client = Map.copyOf(client);
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    /** The bootstrap servers and, when a file is named, the properties in it. */
    public static KafkaSettings of(String bootstrapServers, String clientConfigFile) {
        if (clientConfigFile == null || clientConfigFile.isBlank()) {
            return of(bootstrapServers);
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(clientConfigFile))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka client config file " + clientConfigFile, e);
        }
        Map<String, Object> client = new HashMap<>();
        properties.forEach((k, v) -> client.put(k.toString(), v));
        Object servers = client.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return new KafkaSettings(bootstrapServers != null && !bootstrapServers.isBlank() ? bootstrapServers
                : servers == null ? null : servers.toString(), client);
    }

    /** Settings shared by all clients. */
    public Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>(client);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** A durable producer: acks=all, idempotent, byte-array serdes (the topic serdes do the typing). */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> config = common();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /** A consumer that commits explicitly and reads only committed transactions. */
    public Map<String, Object> consumer(String groupId, String clientId) {
        return consumer(groupId, clientId, "");
    }

    /**
     * As above, a static member of its group when {@code instanceId} is not blank: a restart with the same id takes
     * the member's partitions back at once, even when the previous run was killed and could not leave the group.
     */
    public Map<String, Object> consumer(String groupId, String clientId, String instanceId) {
        Map<String, Object> config = common();
        if (instanceId != null && !instanceId.isBlank()) {
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId.trim());
        }
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }
}
