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
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A consumer's poll loop with the pipeline's error rules: a record that cannot be deserialized, or
 * whose handling fails permanently, goes to its topic's dead-letter topic and the loop moves on; a
 * retryable failure is retried with backoff a bounded number of times before it is dead-lettered.
 * An offset is committed only after its record was handled or dead-lettered (at least once).
 * <p>
 * What is not the record's fault never dead-letters it: when the schema registry cannot be reached
 * (or refuses our credentials), or the dead-letter write itself fails, the loop stops the batch there,
 * commits what was done, rewinds every partition of the batch to its first record not yet done, and
 * polls them again after a pause. A commit that fails (the group rebalanced, the broker is away) is
 * logged and the loop goes on: whatever was not committed is delivered again.
 */
public final class RecordLoop<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordLoop.class);

    /** Handles one deserialized record. Throwing marks it failed. */
    @FunctionalInterface
    public interface Handler<V> {
        void handle(ConsumerRecord<byte[], byte[]> record, V value) throws Exception;
    }

    /** How often and how long to retry a retryable failure. */
    public record Retry(int attempts, Duration backoff, Predicate<Throwable> retryable) {
        public static Retry none() {
            return new Retry(1, Duration.ZERO, t -> false);
        }
    }

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> deadLetterProducer;
    private final Deserializer<V> deserializer;
    private final Handler<V> handler;
    private final Retry retry;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable fatal;

    /** What a loop reads: named topics or every topic matching a pattern. */
    public record Subscription(Collection<String> topics, Pattern pattern) {
        public static Subscription topics(Collection<String> topics) {
            return new Subscription(topics, null);
        }

        public static Subscription pattern(Pattern pattern) {
            return new Subscription(null, pattern);
        }
    }

    /**
     * @param consumer    a consumer with auto-commit off; the loop subscribes it, owns it and closes it
     * @param deadLetters creates the dead-letter topic of each topic the loop is assigned
     */
    public RecordLoop(String name, Consumer<byte[], byte[]> consumer, Subscription subscription, TopicCreator deadLetters,
                      Producer<byte[], byte[]> deadLetterProducer, Deserializer<V> deserializer, Handler<V> handler, Retry retry) {
        this(name, consumer, subscription, (java.util.function.Consumer<Collection<String>>) deadLetters::ensure, deadLetterProducer,
                deserializer, handler, retry);
    }

    /** As above, with {@code ensureDeadLetterTopics} creating the named dead-letter topics (throwing when it cannot). */
    public RecordLoop(String name, Consumer<byte[], byte[]> consumer, Subscription subscription,
                      java.util.function.Consumer<Collection<String>> ensureDeadLetterTopics, Producer<byte[], byte[]> deadLetterProducer,
                      Deserializer<V> deserializer, Handler<V> handler, Retry retry) {
        this.name = name;
        this.consumer = consumer;
        ConsumerRebalanceListener createDeadLetterTopics = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                List<String> topics = partitions.stream().map(p -> TopicNames.deadLetter(p.topic())).distinct().toList();
                try {
                    ensureDeadLetterTopics.accept(topics);
                } catch (RuntimeException e) {
                    // Not fatal: a record that needs one of them waits (its dead-letter write fails and is retried).
                    LOG.warn("{}: could not create the dead-letter topics {}: {}", name, topics, e.toString());
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // offsets are committed after every batch; nothing is pending here
            }
        };
        if (subscription.pattern() != null) {
            consumer.subscribe(subscription.pattern(), createDeadLetterTopics);
        } else {
            consumer.subscribe(subscription.topics(), createDeadLetterTopics);
        }
        this.deadLetterProducer = deadLetterProducer;
        this.deserializer = deserializer;
        this.handler = handler;
        this.retry = retry;
        this.thread = new Thread(this::run, name);
    }

    public RecordLoop<V> start() {
        thread.start();
        return this;
    }

    /** True while the loop polls; false after it stopped or died. */
    public boolean healthy() {
        return thread.isAlive() && fatal == null;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
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
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void processBatch(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            try {
                process(record);
            } catch (RuntimeException notNow) {
                // Not the record's fault (registry unreachable, dead-letter write failed): try again later, from here.
                LOG.warn("{}: could not process or dead-letter {}@{}: {}; will retry", name, partition, record.offset(),
                        notNow.toString());
                commit(done);
                rewind(records, done);
                pause(Duration.ofSeconds(1));
                return;
            }
            done.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
        commit(done);
    }

    /** Moves every partition of the batch back to its first record not done, so that nothing in it is skipped. */
    private void rewind(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, OffsetAndMetadata> done) {
        for (TopicPartition partition : records.partitions()) {
            OffsetAndMetadata next = done.get(partition);
            consumer.seek(partition, next != null ? next.offset() : records.records(partition).get(0).offset());
        }
    }

    private void process(ConsumerRecord<byte[], byte[]> record) {
        V value;
        try {
            value = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isRegistryTrouble(e)) {
                throw new IllegalStateException("the schema registry cannot be used now: " + DeadLetters.describe(e), e);
            }
            deadLetter(record, "deserialize", e);
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                handler.handle(record, value);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (Exception e) {
                if (attempt < retry.attempts() && retry.retryable().test(e) && running) {
                    LOG.warn("{}: attempt {} of {} failed for {}-{}@{}: {}", name, attempt, retry.attempts(),
                            record.topic(), record.partition(), record.offset(), e.toString());
                    pause(retry.backoff().multipliedBy(1L << Math.min(attempt - 1, 6)));
                    continue;
                }
                if (SchemaRegistryException.isRegistryTrouble(e)) {
                    throw new IllegalStateException("the schema registry cannot be used now: " + DeadLetters.describe(e), e);
                }
                deadLetter(record, "handle", e);
                return;
            }
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String stage, Exception error) {
        LOG.warn("{}: {}-{}@{} goes to the dead-letter topic ({} failed): {}", name, record.topic(), record.partition(),
                record.offset(), stage, DeadLetters.describe(error));
        try {
            deadLetterProducer.send(DeadLetters.of(record, name + "/" + stage, error)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("dead-letter write failed: " + e, e);
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

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling, finishes the current record and closes the consumer. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
