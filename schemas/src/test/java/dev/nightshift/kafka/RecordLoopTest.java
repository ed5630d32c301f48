package dev.nightshift.kafka;

import dev.nightshift.serde.SchemaRegistryException;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poll loop's rules, with Kafka's own in-memory consumer (over an in-memory log, so that a partition
 * moved back is read again from there, as from a broker) and producer standing in for the broker: what
 * is handled and in which order, what is retried and when, what is given up on or dead-lettered, what is
 * committed, and when the loop says it is ready.
 */
class RecordLoopTest {
    private static final String TOPIC = "actions.test";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LogConsumer consumer = new LogConsumer();
    private final MockProducer<byte[], byte[]> deadLetters = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    /** What the handler was given, in order: "actions.test-0@1". */
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private RecordLoop<String> loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void aRetryableFailureIsTriedAgainLaterWhileTheLoopPollsOnAndThePartitionKeepsItsOrder() {
        AtomicInteger failures = new AtomicInteger();
        AtomicLong failedAt = new AtomicLong();
        AtomicLong retriedAt = new AtomicLong();
        AtomicInteger pollsWhenItFailed = new AtomicInteger();
        AtomicInteger pollsWhenRetried = new AtomicInteger();
        AtomicBoolean pausedWhileItWaited = new AtomicBoolean();
        Duration backoff = Duration.ofSeconds(1);
        RetryPolicy<String> policy = RetryPolicy.attempts(3, backoff, backoff, e -> e instanceof IOException);
        start(value -> value, (record, value) -> {
            if (record.partition() == 0 && record.offset() == 0) {
                if (failures.getAndIncrement() == 0) {
                    failedAt.set(System.nanoTime());
                    pollsWhenItFailed.set(consumer.polls.get());
                    throw new IOException("AWS could not be reached");
                }
                retriedAt.set(System.nanoTime());
                pollsWhenRetried.set(consumer.polls.get());
            }
            if (record.partition() == 1 && failures.get() == 1) {
                pausedWhileItWaited.compareAndSet(false, consumer.paused().contains(P0));
            }
            handled.add(id(record));
        }, policy);
        consumer.rebalanceTo(P0, P1);
        consumer.append(P0, "request 0", "request 1", "request 2");
        consumer.append(P1, "request 0");
        await().atMost(WAIT).until(() -> failures.get() >= 1);
        consumer.append(P1, "request 1");   // arrives while P0 waits: it is not held up

        await().atMost(WAIT).until(() -> handled.size() == 5);
        assertThat(handled.stream().filter(h -> h.startsWith(TOPIC + "-0"))).containsExactly("actions.test-0@0", "actions.test-0@1", "actions.test-0@2");
        assertThat(handled.indexOf("actions.test-1@1")).as("the other partition went on meanwhile").isLessThan(handled.indexOf("actions.test-0@0"));
        assertThat(failures).hasValue(2);
        assertThat(retriedAt.get() - failedAt.get()).as("the record waited its backoff").isGreaterThanOrEqualTo(backoff.toNanos());
        assertThat(pollsWhenRetried.get() - pollsWhenItFailed.get()).as("the loop polled on while the record waited").isGreaterThan(1);
        assertThat(pausedWhileItWaited).as("its partition was paused meanwhile").isTrue();
        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 3L, P1, 2L)));
        assertThat(deadLetters.history()).isEmpty();
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void whenItsTriesAreUsedUpARecordIsDeadLetteredAndTheNextOneFollows() {
        AtomicInteger tries = new AtomicInteger();
        RetryPolicy<String> policy = RetryPolicy.attempts(2, Duration.ofMillis(50), Duration.ofMillis(50), e -> e instanceof IOException);
        start(value -> value, (record, value) -> {
            if (record.offset() == 0) {
                tries.incrementAndGet();
                throw new IOException("still unreachable");
            }
            handled.add(id(record));
        }, policy);
        consumer.rebalanceTo(P0);
        consumer.append(P0, "request 0", "request 1");

        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 2L)));
        assertThat(tries).hasValue(2);
        assertThat(handled).containsExactly("actions.test-0@1");
        assertThat(deadLetters.history()).singleElement().satisfies(dead -> {
            assertThat(dead.topic()).isEqualTo("actions.test.dlq");
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("request 0");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE)).isEqualTo("test-loop/handle (gave up after 2 tries)");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE)).contains("still unreachable");
        });
    }

    @Test
    void aFailureNotWorthRetryingGoesToTheGaveUpHandlerAtOnceInsteadOfTheDeadLetterTopic() {
        AtomicInteger tries = new AtomicInteger();
        List<String> gaveUp = new CopyOnWriteArrayList<>();
        RetryPolicy<String> policy = RetryPolicy.<String>attempts(3, Duration.ofMillis(50), Duration.ofMillis(50), e -> e instanceof IOException)
                .onGiveUp((record, value, error) -> gaveUp.add(id(record) + " " + value + ": " + error.getMessage()));
        start(value -> value, (record, value) -> {
            if (record.offset() == 0) {
                tries.incrementAndGet();
                throw new IllegalArgumentException("no such table");
            }
            handled.add(id(record));
        }, policy);
        consumer.rebalanceTo(P0);
        consumer.append(P0, "request 0", "request 1");

        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 2L)));
        assertThat(tries).hasValue(1);
        assertThat(gaveUp).containsExactly("actions.test-0@0 request 0: no such table");
        assertThat(handled).containsExactly("actions.test-0@1");
        assertThat(deadLetters.history()).isEmpty();
    }

    @Test
    void aGaveUpHandlerThatFailsIsTriedAgainLaterWithoutHandlingTheRecordAgain() {
        AtomicInteger tries = new AtomicInteger();
        AtomicInteger gaveUpCalls = new AtomicInteger();
        RetryPolicy<String> policy = RetryPolicy.<String>attempts(2, Duration.ofMillis(50), Duration.ofMillis(50), e -> e instanceof IOException)
                .onGiveUp((record, value, error) -> {
                    if (gaveUpCalls.incrementAndGet() == 1) {
                        throw new IllegalStateException("the outcome topic cannot be written");
                    }
                    handled.add("gave up on " + id(record));
                });
        start(value -> value, (record, value) -> {
            if (record.offset() == 0) {
                tries.incrementAndGet();
                throw new IOException("unreachable");
            }
            handled.add(id(record));
        }, policy);
        consumer.rebalanceTo(P0);
        consumer.append(P0, "request 0", "request 1");

        await().atMost(WAIT).until(() -> handled.size() == 2);
        assertThat(handled).containsExactly("gave up on actions.test-0@0", "actions.test-0@1");
        assertThat(tries).as("the record's tries are not run again").hasValue(2);
        assertThat(gaveUpCalls).hasValue(2);
        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 2L)));
        assertThat(deadLetters.history()).isEmpty();
    }

    @Test
    void aRecordWhoseHandlerFindsSomethingUnavailableWaitsForItAndIsNeverGivenUp() {
        AtomicInteger tries = new AtomicInteger();
        start(value -> value, (record, value) -> {
            if (record.offset() == 0 && tries.incrementAndGet() <= 2) {
                throw new RecordLoop.Unavailable("the outcome topic cannot be written", new IOException("timed out"));
            }
            handled.add(id(record));
        }, RetryPolicy.none());
        consumer.rebalanceTo(P0);
        consumer.append(P0, "request 0", "request 1");

        await().atMost(WAIT).until(() -> handled.size() == 2);
        assertThat(handled).containsExactly("actions.test-0@0", "actions.test-0@1");
        assertThat(tries).hasValue(3);
        assertThat(deadLetters.history()).as("a retry policy of none does not apply: it was not the record's fault").isEmpty();
        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 2L)));
    }

    @Test
    void anUnreachableRegistryDeadLettersNothingAndNothingIsSkipped() {
        AtomicBoolean registryDown = new AtomicBoolean(true);
        start(value -> {
            if (registryDown.getAndSet(false)) {
                throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, "registry unreachable");
            }
            return value;
        }, (record, value) -> handled.add(id(record)), RetryPolicy.none());
        consumer.rebalanceTo(P0, P1);
        consumer.append(P0, "request 0", "request 1", "request 2");
        consumer.append(P1, "request 0", "request 1");

        await().atMost(WAIT).until(() -> handled.size() == 5);
        assertThat(handled).containsExactlyInAnyOrder("actions.test-0@0", "actions.test-0@1", "actions.test-0@2",
                "actions.test-1@0", "actions.test-1@1");
        assertThat(handled.stream().filter(h -> h.startsWith(TOPIC + "-0"))).containsExactly("actions.test-0@0", "actions.test-0@1", "actions.test-0@2");
        assertThat(handled.stream().filter(h -> h.startsWith(TOPIC + "-1"))).containsExactly("actions.test-1@0", "actions.test-1@1");
        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 3L, P1, 2L)));
        assertThat(deadLetters.history()).isEmpty();
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithItsBytesAndTheLoopMovesOn() {
        start(value -> {
            if (value.equals("poison")) {
                throw new SerializationException("not an action request");
            }
            return value;
        }, (record, value) -> handled.add(id(record)), RetryPolicy.none());
        consumer.rebalanceTo(P0, P1);
        consumer.append(P0, "poison", "fine");

        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 2L)));
        assertThat(handled).containsExactly("actions.test-0@1");
        assertThat(deadLetters.history()).singleElement().satisfies(dead -> {
            assertThat(dead.topic()).isEqualTo("actions.test.dlq");
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("poison");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.OFFSET)).isEqualTo("0");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE)).isEqualTo("test-loop/deserialize");
        });
    }

    @Test
    void aFailedCommitOrAMissingDeadLetterTopicDoesNotStopTheLoop() {
        consumer.failNextCommit.set(true);
        start(value -> value, (record, value) -> handled.add(id(record)), RetryPolicy.none(), topics -> {
            throw new IllegalStateException("not authorized to create " + topics);
        });
        consumer.rebalanceTo(P0, P1);
        consumer.append(P0, "request 0", "request 1", "request 2");
        consumer.append(P1, "request 0", "request 1");
        await().atMost(WAIT).until(() -> handled.size() == 5);
        assertThat(consumer.failNextCommit).isFalse();

        consumer.append(P1, "after the failed commit");
        await().atMost(WAIT).until(() -> handled.contains("actions.test-1@2"));
        assertThat(loop.healthy()).isTrue();
        await().atMost(WAIT).until(() -> committed().get(P1) == 3L);
    }

    @Test
    void theLoopIsReadyOnlyWhileItPollsWithAnAssignment() {
        start(value -> value, (record, value) -> handled.add(id(record)), RetryPolicy.none());
        ConsumerHealthIndicator health = new ConsumerHealthIndicator(loop);
        await().atMost(WAIT).until(() -> consumer.polls.get() > 1);
        assertThat(loop.healthy()).isTrue();
        assertThat(loop.ready()).as("polling, but not in its group yet").isFalse();
        assertThat(result(health).getStatus()).isEqualTo(HealthStatus.DOWN);

        consumer.rebalanceTo();   // an empty assignment is an assignment
        await().atMost(WAIT).until(loop::ready);
        assertThat(result(health).getStatus()).isEqualTo(HealthStatus.UP);

        consumer.schedulePollTask(() -> consumer.listener.get().onPartitionsLost(List.of()));
        await().atMost(WAIT).until(() -> !loop.ready());
        assertThat(result(health).getStatus()).isEqualTo(HealthStatus.DOWN);

        consumer.rebalanceTo(P0, P1);
        await().atMost(WAIT).until(loop::ready);
        assertThat(result(health).getStatus()).isEqualTo(HealthStatus.UP);
        assertThat(result(health).getDetails()).isEqualTo(Map.of("polling", true, "assigned", true, "partitions", 2, "waitingPartitions", 0));

        loop.close();
        assertThat(loop.ready()).isFalse();
        assertThat(result(health).getStatus()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void aLoopThatDiedIsNeitherHealthyNorReady() {
        start(value -> value, (record, value) -> handled.add(id(record)), RetryPolicy.none());
        consumer.rebalanceTo(P0);
        await().atMost(WAIT).until(loop::ready);

        consumer.setPollException(new KafkaException("the consumer was fenced"));
        await().atMost(WAIT).until(() -> !loop.healthy());
        assertThat(loop.ready()).isFalse();
    }

    @Test
    void aRecordWaitingOnARevokedPartitionIsLeftToItsNextOwnerUncommitted() {
        AtomicInteger tries = new AtomicInteger();
        RetryPolicy<String> policy = RetryPolicy.attempts(5, Duration.ofSeconds(30), Duration.ofSeconds(30), e -> e instanceof IOException);
        start(value -> value, (record, value) -> {
            if (record.partition() == 0 && tries.incrementAndGet() == 1) {
                throw new IOException("unreachable");
            }
            handled.add(id(record));
        }, policy);
        consumer.rebalanceTo(P0, P1);
        consumer.append(P0, "request 0");
        await().atMost(WAIT).until(() -> consumer.paused().contains(P0));

        consumer.rebalanceTo(P1);      // P0 goes to another member, its record uncommitted
        await().atMost(WAIT).until(() -> loop.ready() && loop.waitingPartitions() == 0);
        consumer.rebalanceTo(P0, P1);  // and comes back: read from its committed offset at once, its 30 s wait forgotten
        await().atMost(WAIT).until(() -> handled.contains("actions.test-0@0"));
        assertThat(consumer.paused()).isEmpty();
        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 1L)));
    }

    private void start(java.util.function.UnaryOperator<String> read, RecordLoop.Handler<String> handler, RetryPolicy<String> policy) {
        start(read, handler, policy, topics -> { });
    }

    private void start(java.util.function.UnaryOperator<String> read, RecordLoop.Handler<String> handler, RetryPolicy<String> policy,
                       java.util.function.Consumer<Collection<String>> ensureTopics) {
        Deserializer<String> deserializer = (topic, bytes) -> read.apply(new String(bytes, StandardCharsets.UTF_8));
        loop = new RecordLoop<>("test-loop", consumer, RecordLoop.Subscription.topics(List.of(TOPIC)), ensureTopics, deadLetters,
                deserializer, handler, policy).start();
    }

    private static String id(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private Map<TopicPartition, Long> committed() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        consumer.committed(Set.of(P0, P1)).forEach((partition, offset) -> {
            if (offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return offsets;
    }

    private static HealthResult result(ConsumerHealthIndicator indicator) {
        AtomicReference<HealthResult> result = new AtomicReference<>();
        Publisher<HealthResult> publisher = indicator.getResult();
        publisher.subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(1);
            }

            @Override
            public void onNext(HealthResult next) {
                result.set(next);
            }

            @Override
            public void onError(Throwable error) {
                throw new AssertionError(error);
            }

            @Override
            public void onComplete() {
            }
        });
        return result.get();
    }

    /**
     * Kafka's in-memory consumer reading from an in-memory log: each poll hands out, per assigned and not
     * paused partition, the log's records from the partition's position on, as a broker does (after a seek
     * back too). A poll with nothing to hand out waits for an append, up to its timeout. Its next commit can
     * be made to fail as after a rebalance.
     */
    private static final class LogConsumer extends MockConsumer<byte[], byte[]> {
        final AtomicBoolean failNextCommit = new AtomicBoolean();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicReference<ConsumerRebalanceListener> listener = new AtomicReference<>();
        private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log = new ConcurrentHashMap<>();
        private final Object appended = new Object();

        LogConsumer() {
            super("earliest");
        }

        /** Gives the loop these partitions (a rebalance, on the poll thread), each starting at offset 0. */
        void rebalanceTo(TopicPartition... partitions) {
            schedulePollTask(() -> {
                Map<TopicPartition, Long> beginning = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    beginning.put(partition, 0L);
                }
                updateBeginningOffsets(beginning);
                rebalance(List.of(partitions));
            });
            wake();
        }

        /** Appends values to a partition's log, at its next offsets. */
        void append(TopicPartition partition, String... values) {
            List<ConsumerRecord<byte[], byte[]>> records = log.computeIfAbsent(partition, p -> new CopyOnWriteArrayList<>());
            for (String value : values) {
                records.add(new ConsumerRecord<>(partition.topic(), partition.partition(), records.size(),
                        "key".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
            }
            wake();
        }

        @Override
        public void subscribe(Collection<String> topics, ConsumerRebalanceListener rebalanceListener) {
            listener.set(rebalanceListener);
            super.subscribe(topics, rebalanceListener);
        }

        @Override
        public void subscribe(Pattern pattern, ConsumerRebalanceListener rebalanceListener) {
            listener.set(rebalanceListener);
            super.subscribe(pattern, rebalanceListener);
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            polls.incrementAndGet();
            super.poll(Duration.ZERO);   // rebalances, wake-ups and failures scheduled by the test
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> fetched = fetch();
            if (fetched.isEmpty() && !timeout.isZero()) {
                synchronized (appended) {
                    try {
                        appended.wait(Math.max(1, timeout.toMillis()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return new ConsumerRecords<>(fetched, Map.of());
        }

        private synchronized Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> fetch() {
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> fetched = new HashMap<>();
            for (TopicPartition partition : assignment()) {
                if (paused().contains(partition)) {
                    continue;
                }
                long position = position(partition);
                List<ConsumerRecord<byte[], byte[]>> next = new ArrayList<>(log.getOrDefault(partition, List.of()).stream()
                        .filter(r -> r.offset() >= position).toList());
                if (!next.isEmpty()) {
                    fetched.put(partition, next);
                    seek(partition, next.get(next.size() - 1).offset() + 1);
                }
            }
            return fetched;
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (failNextCommit.getAndSet(false)) {
                throw new CommitFailedException("the group rebalanced");
            }
            super.commitSync(offsets);
        }

        @Override
        public void wakeup() {
            super.wakeup();
            wake();
        }

        private void wake() {
            synchronized (appended) {
                appended.notifyAll();
            }
        }
    }
}
