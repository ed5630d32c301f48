package dev.nightshift.ingest;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Reads one topic from its beginning through the registry serde, as a downstream consumer would. */
final class TopicReader<V> implements AutoCloseable {
    /** A record as read: its key and its decoded value. */
    record Read<V>(String key, V value) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Deserializer<V> deserializer;
    private final List<Read<V>> records = new ArrayList<>();

    TopicReader(String bootstrapServers, String topic, Deserializer<V> deserializer) {
        this.topic = topic;
        this.deserializer = deserializer;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Waits until at least {@code count} records have been read, and returns all read so far. */
    List<Read<V>> awaitAtLeast(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            poll();
            return records.size() >= count;
        });
        return List.copyOf(records);
    }

    /** Whatever has arrived within a short poll. */
    List<Read<V>> readNow() {
        poll();
        return List.copyOf(records);
    }

    private void poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            records.add(new Read<>(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                    deserializer.deserialize(topic, r.value())));
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
