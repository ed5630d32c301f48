package dev.nightshift.kafka;

import dev.nightshift.serde.SchemaRegistryException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poll loop's error rules, with Kafka's own in-memory consumer and producer standing in for the
 * broker: what is handled, what is dead-lettered, where each partition resumes and what is committed.
 */
class RecordLoopTest {
    private static final String TOPIC = "actions.test";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final FlakyCommitConsumer consumer = new FlakyCommitConsumer();
    private final MockProducer<byte[], byte[]> deadLetters = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private RecordLoop<String> loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void anUnreachableRegistryDeadLettersNothingAndNoPartitionOfTheBatchIsSkipped() {
        AtomicBoolean registryDown = new AtomicBoolean(true);
        start(value -> {
            if (registryDown.getAndSet(false)) {
                throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, "registry unreachable");
            }
            return value;
        }, topics -> { });
        deliver(0);

        // the first record of the batch met the outage: every partition of the batch goes back to its start
        await().atMost(Duration.ofSeconds(10)).until(() -> !registryDown.get() && consumer.position(P0) == 0 && consumer.position(P1) == 0);
        assertThat(handled).isEmpty();
        assertThat(deadLetters.history()).isEmpty();

        deliver(0);   // the broker delivers them again from there
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 5);
        assertThat(handled).containsExactlyInAnyOrder("actions.test-0@0", "actions.test-0@1", "actions.test-0@2",
                "actions.test-1@0", "actions.test-1@1");
        await().atMost(Duration.ofSeconds(10)).until(() -> committed().equals(Map.of(P0, 3L, P1, 2L)));
        assertThat(deadLetters.history()).isEmpty();
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithItsBytesAndTheLoopMovesOn() {
        start(value -> {
            if (value.equals("poison")) {
                throw new SerializationException("not an action request");
            }
            return value;
        }, topics -> { });
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
            consumer.addRecord(record(P0, 0, "poison"));
            consumer.addRecord(record(P0, 1, "fine"));
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> committed().equals(Map.of(P0, 2L)));
        assertThat(handled).containsExactly("actions.test-0@1");
        assertThat(deadLetters.history()).singleElement().satisfies(dead -> {
            assertThat(dead.topic()).isEqualTo("actions.test.dlq");
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("poison");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.OFFSET)).isEqualTo("0");
        });
    }

    @Test
    void aFailedCommitOrAMissingDeadLetterTopicDoesNotStopTheLoop() {
        consumer.failNextCommit.set(true);
        start(value -> value, topics -> {
            throw new IllegalStateException("not authorized to create " + topics);
        });
        deliver(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 5);
        assertThat(consumer.failNextCommit).isFalse();

        consumer.schedulePollTask(() -> consumer.addRecord(record(P1, 2, "after the failed commit")));
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("actions.test-1@2"));
        assertThat(loop.healthy()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> committed().get(P1) == 3L);
    }

    private void start(java.util.function.UnaryOperator<String> read, java.util.function.Consumer<Collection<String>> ensureTopics) {
        Deserializer<String> deserializer = (topic, bytes) -> read.apply(new String(bytes, StandardCharsets.UTF_8));
        loop = new RecordLoop<>("test-loop", consumer, RecordLoop.Subscription.topics(List.of(TOPIC)), ensureTopics, deadLetters,
                deserializer, (record, value) -> handled.add(record.topic() + "-" + record.partition() + "@" + record.offset()),
                RecordLoop.Retry.none()).start();
    }

    /** Puts three records on partition 0 and two on partition 1 (from {@code from}) for the next poll. */
    private void deliver(long from) {
        consumer.schedulePollTask(() -> {
            if (consumer.assignment().isEmpty()) {
                consumer.rebalance(List.of(P0, P1));
                consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
            }
            for (long offset = from; offset < 3; offset++) {
                consumer.addRecord(record(P0, offset, "request " + offset));
            }
            for (long offset = from; offset < 2; offset++) {
                consumer.addRecord(record(P1, offset, "request " + offset));
            }
        });
    }

    private Map<TopicPartition, Long> committed() {
        Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
        consumer.committed(Set.of(P0, P1)).forEach((partition, offset) -> {
            if (offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset, String value) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "key".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    /** Kafka's in-memory consumer, whose next commit can be made to fail as after a rebalance. */
    private static final class FlakyCommitConsumer extends MockConsumer<byte[], byte[]> {
        final AtomicBoolean failNextCommit = new AtomicBoolean();

        FlakyCommitConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (failNextCommit.getAndSet(false)) {
                throw new CommitFailedException("the group rebalanced");
            }
            super.commitSync(offsets);
        }
    }
}
