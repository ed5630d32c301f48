package dev.nightshift.triage.testing;

import dev.nightshift.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a whole topic, as a read_committed consumer does, accumulating what it has seen so far. */
public final class TopicReader<K, V> implements AutoCloseable {
    private final KafkaConsumer<K, V> consumer;
    private final List<ConsumerRecord<K, V>> seen = new ArrayList<>();
    private final String topic;

    /** The topic may not exist yet (team topics are created on first use): it is assigned once it does. */
    public TopicReader(String bootstrap, String topic, Deserializer<K> keys, Deserializer<V> values) {
        this.topic = topic;
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), keys, values);
        assign();
    }

    private boolean assign() {
        if (!consumer.assignment().isEmpty()) {
            return true;
        }
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        return true;
    }

    public static <V> TopicReader<String, V> of(String bootstrap, Topic<String, V> topic) {
        return new TopicReader<>(bootstrap, topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /** Polls once and returns everything read so far. */
    public List<ConsumerRecord<K, V>> poll() {
        if (assign()) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    public List<V> values() {
        return poll().stream().map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
