package dev.nightshift.workers.runner;

import dev.nightshift.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** Reads a whole topic as a read_committed consumer does (what a user's reader sees), keeping what it has seen in order of each partition. */
public final class CommittedReader<V> implements AutoCloseable {
    private final KafkaConsumer<String, V> consumer;
    private final List<V> seen = new ArrayList<>();

    public CommittedReader(String bootstrap, Topic<String, V> topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        // a topic just created may take a moment to show in the metadata
        List<TopicPartition> partitions = await().atMost(Duration.ofSeconds(30)).until(() -> consumer.partitionsFor(topic.name(),
                Duration.ofSeconds(5)).stream().map(p -> new TopicPartition(topic.name(), p.partition())).toList(), found -> !found.isEmpty());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls once and returns every value read so far. */
    public synchronized List<V> values() {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
        return List.copyOf(seen);
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
