package dev.nightshift.workers.executor;

import dev.nightshift.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a whole topic as a read_committed consumer does (what a user's reader sees), accumulating what it has seen. */
final class CommittedReader<V> implements AutoCloseable {
    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    CommittedReader(String bootstrap, Topic<String, V> topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        // A topic just created may not be in this broker's metadata yet: its partitions are then an empty list.
        List<PartitionInfo> partitions = Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)), found -> !found.isEmpty());
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic.name(), p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
    }

    /** Polls once and returns every value read so far. */
    List<V> values() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
