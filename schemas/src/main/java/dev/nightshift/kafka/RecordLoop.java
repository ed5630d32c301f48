package dev.nightshift.kafka;

import dev.nightshift.serde.SchemaRegistryException;
import dev.nightshift.topics.TopicNames;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A consumer's poll loop with the pipeline's error rules. A record that cannot be deserialized goes to
 * its topic's dead-letter topic and the loop moves on. A record whose handling fails is retried as the
 * consumer's {@link RetryPolicy} declares, then given up on (the dead-letter topic, or the consumer's own
 * "gave up" handler). An offset is committed only after its record was handled, given up on or
 * dead-lettered (at least once).
 * <p>
 * Nothing waits on the poll thread: a record to be tried again later stays where it is (its partition is
 * moved back to it and paused, and resumed when its wait is over) while the loop keeps polling, so the
 * consumer stays in its group and its other partitions go on. The records after it on its partition wait
 * with it: a partition's order holds.
 * <p>
 * What is not the record's fault never gives it up: when the schema registry cannot be reached (or refuses
 * our credentials), a handler throws {@link Unavailable}, or the dead-letter write or the "gave up" handler
 * fails, the record waits {@link #UNAVAILABLE_WAIT} in the same way and is tried again, for as long as it
 * takes. A commit that fails (the group rebalanced, the broker is away) is logged and the loop goes on:
 * whatever was not committed is delivered again.
 */
public final class RecordLoop<V> implements ConsumerLoop, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordLoop.class);
    /** How long a record waits when something it needs is unavailable, before it is tried again. */
    public static final Duration UNAVAILABLE_WAIT = Duration.ofSeconds(1);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    /** Handles one deserialized record. Throwing marks it failed. */
    @FunctionalInterface
    public interface Handler<V> {
        void handle(ConsumerRecord<byte[], byte[]> record, V value) throws Exception;
    }

    /**
     * Thrown by a handler when something the record needs is unavailable (not the record's fault, such as the
     * topic it writes to): the record is tried again after {@link #UNAVAILABLE_WAIT}, never given up on.
     */
    public static class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What a loop reads: named topics or every topic matching a pattern. */
    public record Subscription(Collection<String> topics, Pattern pattern) {
        public static Subscription topics(Collection<String> topics) {
            return new Subscription(topics, null);
        }

        public static Subscription pattern(Pattern pattern) {
            return new Subscription(null, pattern);
        }
    }

    /** The tries of the record a partition waits at: how many failed, since when, and whether it is being given up on. */
    private record Tries(long offset, int failures, long firstTryNanos, Exception lastError, boolean givingUp) {
    }

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final Subscription subscription;
    private final java.util.function.Consumer<Collection<String>> ensureDeadLetterTopics;
    private final Producer<byte[], byte[]> deadLetterProducer;
    private final Deserializer<V> deserializer;
    private final Handler<V> handler;
    private final RetryPolicy<V> retry;
    private final Thread thread;
    /** Partitions held back at a record, with when (System.nanoTime) they may be read again. Poll thread only. */
    private final Map<TopicPartition, Long> waiting = new HashMap<>();
    /** The tries of the record each waiting partition is held at. Poll thread only. */
    private final Map<TopicPartition, Tries> tries = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile int assignedPartitions;
    private volatile int waitingPartitions;
    private volatile Throwable fatal;

    /**
     * @param consumer    a consumer with auto-commit off; the loop subscribes it when it starts, owns it and closes it
     * @param deadLetters creates the dead-letter topic of each topic the loop is assigned
     */
    public RecordLoop(String name, Consumer<byte[], byte[]> consumer, Subscription subscription, TopicCreator deadLetters,
                      Producer<byte[], byte[]> deadLetterProducer, Deserializer<V> deserializer, Handler<V> handler, RetryPolicy<V> retry) {
        this(name, consumer, subscription, (java.util.function.Consumer<Collection<String>>) deadLetters::ensure, deadLetterProducer,
                deserializer, handler, retry);
    }

    /** As above, with {@code ensureDeadLetterTopics} creating the named dead-letter topics (throwing when it cannot). */
    public RecordLoop(String name, Consumer<byte[], byte[]> consumer, Subscription subscription,
                      java.util.function.Consumer<Collection<String>> ensureDeadLetterTopics, Producer<byte[], byte[]> deadLetterProducer,
                      Deserializer<V> deserializer, Handler<V> handler, RetryPolicy<V> retry) {
        this.name = name;
        this.consumer = consumer;
        this.subscription = subscription;
        this.ensureDeadLetterTopics = ensureDeadLetterTopics;
        this.deadLetterProducer = deadLetterProducer;
        this.deserializer = deserializer;
        this.handler = handler;
        this.retry = retry;
        this.thread = new Thread(this::run, name);
    }

    /** Starts polling on the loop's own thread. */
    public synchronized RecordLoop<V> start() {
        if (thread.getState() == Thread.State.NEW && running) {
            thread.start();
        }
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    /** True while the loop polls; false before it started and after it stopped or died. */
    @Override
    public boolean healthy() {
        return running && thread.isAlive() && fatal == null;
    }

    /**
     * True when the loop is doing its work: it polls and has joined its group and received its assignment
     * (an empty one too). False before that, while its partitions are revoked or lost without a new
     * assignment, and after it stopped or died.
     */
    @Override
    public boolean ready() {
        return assigned && healthy();
    }

    /** The partitions assigned now (as of the last rebalance). */
    @Override
    public int assignedPartitions() {
        return assignedPartitions;
    }

    /** The partitions held back at a record that waits to be tried again. */
    @Override
    public int waitingPartitions() {
        return waitingPartitions;
    }

    private void run() {
        try {
            if (subscription.pattern() != null) {
                consumer.subscribe(subscription.pattern(), rebalanceListener());
            } else {
                consumer.subscribe(subscription.topics(), rebalanceListener());
            }
            while (running) {
                resumeWhatWaitedEnough();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(untilNextResume());
                if (!records.isEmpty()) {
                    processBatch(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                fatal = e;
            }
        } catch (RuntimeException e) {
            fatal = e;
            LOG.error("{} stopped: {}", name, e.toString(), e);
        } finally {
            assigned = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private ConsumerRebalanceListener rebalanceListener() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                List<String> topics = partitions.stream().map(p -> TopicNames.deadLetter(p.topic())).distinct().toList();
                try {
                    if (!topics.isEmpty()) {
                        ensureDeadLetterTopics.accept(topics);
                    }
                } catch (RuntimeException e) {
                    // Not fatal: a record that needs one of them waits (its dead-letter write fails and is tried again).
                    LOG.warn("{}: could not create the dead-letter topics {}: {}", name, topics, e.toString());
                }
                // A partition the consumer still holds paused without a record waiting on it (its wait was forgotten
                // when it was revoked) would never be read again.
                Set<TopicPartition> stray = new HashSet<>(consumer.paused());
                stray.retainAll(consumer.assignment());
                stray.removeAll(waiting.keySet());
                if (!stray.isEmpty()) {
                    consumer.resume(stray);
                }
                assignedPartitions = consumer.assignment().size();
                assigned = true;
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Offsets are committed after every batch: nothing is pending. A record that waited here is read
                // again, from the committed offset, by whoever gets the partition, with its tries counted anew.
                forget(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                forget(partitions);
            }
        };
    }

    /** Until a new assignment comes, the loop is not ready. */
    private void forget(Collection<TopicPartition> partitions) {
        assigned = false;
        partitions.forEach(waiting::remove);
        partitions.forEach(tries::remove);
        waitingPartitions = waiting.size();
    }

    private void processBatch(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (!running) {
                    commit(done);
                    return;
                }
                Optional<Duration> wait = process(partition, record);
                if (wait.isPresent()) {
                    holdBack(partition, record.offset(), wait.get());
                    break;   // the partition's next records wait behind it
                }
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        commit(done);
    }

    /** Reads the partition again from {@code offset}, once {@code wait} is over; the loop polls the others meanwhile. */
    private void holdBack(TopicPartition partition, long offset, Duration wait) {
        consumer.seek(partition, offset);
        consumer.pause(List.of(partition));
        waiting.put(partition, System.nanoTime() + wait.toNanos());
        waitingPartitions = waiting.size();
    }

    private void resumeWhatWaitedEnough() {
        if (waiting.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        List<TopicPartition> due = waiting.entrySet().stream().filter(e -> e.getValue() - now <= 0).map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            due.forEach(waiting::remove);
            waitingPartitions = waiting.size();
            consumer.resume(due);
        }
    }

    private Duration untilNextResume() {
        long now = System.nanoTime();
        long next = waiting.values().stream().mapToLong(at -> at - now).min().orElse(Long.MAX_VALUE);
        return next < POLL_TIMEOUT.toNanos() ? Duration.ofNanos(Math.max(next, 0)) : POLL_TIMEOUT;
    }

    /** Handles, gives up on or dead-letters the record; or says how long it must wait before it is tried again. */
    private Optional<Duration> process(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        Tries earlier = tries.get(partition);
        if (earlier != null && earlier.offset() != record.offset()) {
            tries.remove(partition);
            earlier = null;
        }
        V value;
        try {
            value = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isRegistryTrouble(e)) {
                return unavailable(record, "the schema registry cannot be used now: " + DeadLetters.describe(e));
            }
            return deadLetter(record, "deserialize", e) ? Optional.empty()
                    : unavailable(record, "could not write it to the dead-letter topic");
        }
        if (earlier == null || !earlier.givingUp()) {
            long firstTry = earlier == null ? System.nanoTime() : earlier.firstTryNanos();
            try {
                handler.handle(record, value);
                tries.remove(partition);
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return unavailable(record, "interrupted");
            } catch (Exception e) {
                if (e instanceof Unavailable || SchemaRegistryException.isRegistryTrouble(e)) {
                    return unavailable(record, DeadLetters.describe(e));
                }
                int failures = (earlier == null ? 0 : earlier.failures()) + 1;
                Duration sinceFirstTry = Duration.ofNanos(System.nanoTime() - firstTry);
                Optional<Duration> wait = retry.nextTry(failures, sinceFirstTry, e);
                if (wait.isPresent()) {
                    tries.put(partition, new Tries(record.offset(), failures, firstTry, e, false));
                    LOG.warn("{}: try {} of {}-{}@{} failed: {}; trying again in {} ms", name, failures, record.topic(),
                            record.partition(), record.offset(), DeadLetters.describe(e), wait.get().toMillis());
                    return wait;
                }
                earlier = new Tries(record.offset(), failures, firstTry, e, true);
                tries.put(partition, earlier);
            }
        }
        return giveUp(partition, record, value, earlier);
    }

    /** The record's tries are over: the consumer's "gave up" handler or the dead-letter topic takes it. */
    private Optional<Duration> giveUp(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, V value, Tries tried) {
        String stage = tried.failures() == 1 ? "handle" : "handle (gave up after " + tried.failures() + " tries)";
        Optional<RetryPolicy.GaveUp<V>> gaveUp = retry.gaveUpHandler();
        if (gaveUp.isEmpty()) {
            if (!deadLetter(record, stage, tried.lastError())) {
                return unavailable(record, "could not write it to the dead-letter topic");
            }
        } else {
            LOG.warn("{}: {}-{}@{} given up on after {} {}: {}", name, record.topic(), record.partition(), record.offset(),
                    tried.failures(), tried.failures() == 1 ? "try" : "tries", DeadLetters.describe(tried.lastError()));
            try {
                gaveUp.get().gaveUp(record, value, tried.lastError());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return unavailable(record, "interrupted");
            } catch (Exception e) {
                return unavailable(record, "its gave-up handler failed: " + DeadLetters.describe(e));
            }
        }
        tries.remove(partition);
        return Optional.empty();
    }

    private Optional<Duration> unavailable(ConsumerRecord<byte[], byte[]> record, String why) {
        LOG.warn("{}: {}-{}@{} waits: {}; trying again in {} ms", name, record.topic(), record.partition(), record.offset(), why,
                UNAVAILABLE_WAIT.toMillis());
        return Optional.of(UNAVAILABLE_WAIT);
    }

    /** Writes the record to its dead-letter topic; false when the write failed. */
    private boolean deadLetter(ConsumerRecord<byte[], byte[]> record, String stage, Exception error) {
        LOG.warn("{}: {}-{}@{} goes to the dead-letter topic ({} failed): {}", name, record.topic(), record.partition(),
                record.offset(), stage, DeadLetters.describe(error));
        try {
            deadLetterProducer.send(DeadLetters.of(record, name + "/" + stage, error)).get(30, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("{}: dead-letter write failed: {}", name, e.toString());
            return false;
        }
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
            // The records are delivered again (to this loop or the partition's new owner): at least once.
            LOG.warn("{}: could not commit {}: {}; what was not committed will be delivered again", name, offsets.keySet(),
                    e.toString());
        }
    }

    /** Stops polling after the current record, commits what was done and closes the consumer. */
    @Override
    public void close() {
        boolean started;
        synchronized (this) {
            running = false;
            started = thread.getState() != Thread.State.NEW;
        }
        if (!started) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
