package dev.nightshift.notifier.delivery;

import dev.nightshift.kafka.ConsumerLoop;
import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.kafka.OffsetTransactions;
import dev.nightshift.kafka.RecordLoop;
import dev.nightshift.kafka.RetryPolicy;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.serde.SchemaRegistryException;
import dev.nightshift.topics.TopicNames;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The delivery worker's poll loop over {@code notifications.outbox}: each record is delivered by {@link Deliveries},
 * which commits its offset in a transaction of the producer (never through the consumer). Its rules for what goes wrong
 * are {@link RecordLoop}'s: a record that cannot be decoded goes to the outbox's dead-letter topic and the loop moves
 * on; a delivery that fails is tried again as the {@link RetryPolicy} declares, then given up on (the dead-letter topic,
 * with a FAILED Delivery); when Kafka or the schema registry is unavailable the record waits {@link RecordLoop#UNAVAILABLE_WAIT}
 * and is tried again, as long as it takes. A destination's pace (a Slack channel's messages per second) holds a record
 * back too, without counting as a failure.
 * <p>
 * Nothing waits on the poll thread: a record to be tried later stays where it is (its partition is moved back to it and
 * paused until its time) while the loop polls on, so the worker stays in its group and its other partitions go on; the
 * records behind it on its partition (the same Slack thread) wait with it, so a thread's messages keep their order.
 * When this worker's transaction is fenced (its partitions moved to another worker) the records it has read and not
 * delivered are read again from the committed offsets by their new owner. An update followed in the same batch by a
 * newer update of the same message is not sent (the newer one says all of it).
 */
public final class DeliveryLoop implements ConsumerLoop, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** A batch is delivered for at most this long; the rest is read again at the next poll, well within max.poll.interval.ms. */
    static final Duration MAX_BATCH_TIME = Duration.ofSeconds(60);

    /** The tries of the record a partition waits at: how many failed, since when, and whether it is being given up on. */
    private record Tries(long offset, int failures, long firstTryNanos, Exception lastError, boolean givingUp) {
    }

    /** What to do after a record. */
    private enum Next { ADVANCE, HOLD, STOP }

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final java.util.function.Consumer<Collection<String>> ensureDeadLetterTopics;
    private final Deserializer<Notification> deserializer;
    private final Deliveries deliveries;
    private final Ledger ledger;
    private final RetryPolicy<Notification> retry;
    private final DeliveryMetrics metrics;
    private final Thread thread;
    /** Partitions held back at a record, with when (System.nanoTime) they may be read again. Poll thread only. */
    private final Map<TopicPartition, Long> waiting = new HashMap<>();
    /** The tries of the record each waiting partition is held at. Poll thread only. */
    private final Map<TopicPartition, Tries> tries = new HashMap<>();
    /** How long the record a partition is held at waits, set by {@link #process}. Poll thread only. */
    private Duration holdFor = Duration.ZERO;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile int assignedPartitions;
    private volatile int waitingPartitions;
    private volatile Throwable fatal;

    /**
     * @param consumer a consumer with auto-commit off and read_committed; the loop subscribes it to {@code topic} when it
     *                 starts, owns it and closes it
     */
    DeliveryLoop(String name, Consumer<byte[], byte[]> consumer, String topic, java.util.function.Consumer<Collection<String>> ensureDeadLetterTopics,
                 Deserializer<Notification> deserializer, Deliveries deliveries, Ledger ledger, RetryPolicy<Notification> retry,
                 DeliveryMetrics metrics) {
        this.name = name;
        this.consumer = consumer;
        this.topic = topic;
        this.ensureDeadLetterTopics = ensureDeadLetterTopics;
        this.deserializer = deserializer;
        this.deliveries = deliveries;
        this.ledger = ledger;
        this.retry = retry;
        this.metrics = metrics;
        this.thread = new Thread(this::run, name);
    }

    /** Starts polling on the loop's own thread. */
    public synchronized DeliveryLoop start() {
        if (thread.getState() == Thread.State.NEW && running) {
            thread.start();
        }
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean healthy() {
        return running && thread.isAlive() && fatal == null;
    }

    @Override
    public boolean ready() {
        return assigned && healthy();
    }

    @Override
    public int assignedPartitions() {
        return assignedPartitions;
    }

    @Override
    public int waitingPartitions() {
        return waitingPartitions;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), rebalanceListener());
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
            deliveries.close();
            ledger.close();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private ConsumerRebalanceListener rebalanceListener() {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                List<String> deadLetterTopics = partitions.stream().map(p -> TopicNames.deadLetter(p.topic())).distinct().toList();
                try {
                    if (!deadLetterTopics.isEmpty()) {
                        ensureDeadLetterTopics.accept(deadLetterTopics);
                    }
                } catch (RuntimeException e) {
                    // Not fatal: a record that needs one of them waits (its dead-letter transaction fails and is tried again).
                    LOG.warn("{}: could not create the dead-letter topics {}: {}", name, deadLetterTopics, e.toString());
                }
                // A partition still paused without a record waiting on it (its wait was forgotten when it was revoked)
                // would never be read again.
                Set<TopicPartition> stray = new HashSet<>(consumer.paused());
                stray.retainAll(consumer.assignment());
                stray.removeAll(waiting.keySet());
                consumer.resume(stray);
                assignedPartitions = consumer.assignment().size();
                assigned = true;
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Each delivered record's offset is committed in its own transaction: nothing is pending.
                forget(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                forget(partitions);
            }
        };
    }

    /** Until a new assignment comes, the loop is not ready; the partitions' ledgers are read again when they come back. */
    private void forget(Collection<TopicPartition> partitions) {
        assigned = false;
        partitions.forEach(waiting::remove);
        partitions.forEach(tries::remove);
        partitions.forEach(p -> ledger.forget(p.partition()));
        deliveries.forget();
        waitingPartitions = waiting.size();
    }

    /**
     * Delivers the records in order, partition by partition. A partition whose record waits is moved back to it and
     * paused; when this worker is fenced, every partition is moved back to its first record not delivered.
     */
    private void processBatch(ConsumerRecords<byte[], byte[]> records) {
        long deadline = System.nanoTime() + MAX_BATCH_TIME.toNanos();
        boolean stop = false;
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> batch = records.records(partition);
            List<Notification> decoded = new ArrayList<>(Collections.nCopies(batch.size(), null));
            List<RuntimeException> undecodable = new ArrayList<>(Collections.nCopies(batch.size(), null));
            for (int i = 0; i < batch.size(); i++) {
                try {
                    decoded.set(i, decode(batch.get(i)));
                } catch (RuntimeException e) {
                    undecodable.set(i, e);
                }
            }
            for (int i = 0; i < batch.size(); i++) {
                ConsumerRecord<byte[], byte[]> record = batch.get(i);
                if (stop || !running || System.nanoTime() - deadline > 0) {
                    consumer.seek(partition, record.offset());
                    break;
                }
                Next next = undecodable.get(i) != null ? poison(partition, record, undecodable.get(i))
                        : process(partition, record, decoded.get(i), supersededBy(decoded, i));
                if (next == Next.HOLD) {
                    holdBack(partition, record.offset(), holdFor);
                    break;
                }
                if (next == Next.STOP) {
                    consumer.seek(partition, record.offset());
                    stop = true;
                    break;
                }
            }
        }
    }

    private Notification decode(ConsumerRecord<byte[], byte[]> record) {
        Notification n = deserializer.deserialize(record.topic(), record.headers(), record.value());
        if (n == null) {
            throw new IllegalArgumentException("the record has no value");
        }
        return n;
    }

    /**
     * The id of a newer update of the same message later in the batch, when the notification at {@code index} is an update
     * of a parent (THREAD_UPDATE, by thread) or a reply (REPLY_UPDATE, by the reply it edits); else null.
     */
    static String supersededBy(List<Notification> batch, int index) {
        Notification n = batch.get(index);
        if (n == null || (n.getKind() != NotificationKind.THREAD_UPDATE && n.getKind() != NotificationKind.REPLY_UPDATE)) {
            return null;
        }
        for (int later = batch.size() - 1; later > index; later--) {
            Notification newer = batch.get(later);
            if (newer != null && newer.getKind() == n.getKind() && newer.getTarget() == n.getTarget()
                    && (n.getKind() == NotificationKind.THREAD_UPDATE ? Objects.equals(newer.getThreadKey(), n.getThreadKey())
                    : n.getUpdates() != null && Objects.equals(newer.getUpdates(), n.getUpdates()))) {
                return newer.getNotificationId();
            }
        }
        return null;
    }

    /** A record that cannot be decoded: the dead-letter topic, unless the schema registry is what failed. */
    private Next poison(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, RuntimeException error) {
        if (SchemaRegistryException.isRegistryTrouble(error)) {
            return unavailable(record, "the schema registry cannot be used now: " + DeadLetters.describe(error));
        }
        return after(partition, record, null, deliveries.giveUp(record, null, "deserialize", error, 1, consumer.groupMetadata()));
    }

    /** Delivers, retries or gives up the notification; says whether the partition goes on, waits or stops. */
    private Next process(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, Notification n, String supersededBy) {
        Tries earlier = tries.get(partition);
        if (earlier != null && earlier.offset() != record.offset()) {
            tries.remove(partition);
            earlier = null;
        }
        Ledger.Partition entries;
        try {
            entries = ledger.of(partition.partition());
        } catch (RuntimeException e) {
            return unavailable(record, "its ledger cannot be read now: " + DeadLetters.describe(e));
        }
        if (earlier == null || !earlier.givingUp()) {
            long firstTry = earlier == null ? System.nanoTime() : earlier.firstTryNanos();
            int failures = earlier == null ? 0 : earlier.failures();
            try {
                Deliveries.Result result = supersededBy != null
                        ? deliveries.superseded(record, n, supersededBy, consumer.groupMetadata())
                        : deliveries.deliver(record, n, entries, consumer.groupMetadata(), failures + 1);
                if (result.kind() == Deliveries.Kind.PACED) {
                    holdFor = result.delay();
                    return Next.HOLD;
                }
                return after(partition, record, n, result);
            } catch (OffsetTransactions.InstanceFenced e) {
                throw e;
            } catch (RuntimeException e) {
                if (SchemaRegistryException.isRegistryTrouble(e)) {
                    return unavailable(record, DeadLetters.describe(e));
                }
                failures++;
                java.util.Optional<Duration> wait = retry.nextTry(failures, Duration.ofNanos(System.nanoTime() - firstTry), e);
                if (wait.isPresent()) {
                    tries.put(partition, new Tries(record.offset(), failures, firstTry, e, false));
                    metrics.retried(n, e);
                    LOG.warn("{}: try {} of notification {} ({} {}) failed: {}; trying again in {} ms", name, failures,
                            n.getNotificationId(), n.getTarget(), n.getKind(), DeadLetters.describe(e), wait.get().toMillis());
                    holdFor = wait.get();
                    return Next.HOLD;
                }
                earlier = new Tries(record.offset(), failures, firstTry, e, true);
                tries.put(partition, earlier);
            }
        }
        return after(partition, record, n, deliveries.giveUp(record, n, "deliver", earlier.lastError(), earlier.failures(),
                consumer.groupMetadata()));
    }

    private Next after(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, Notification n, Deliveries.Result result) {
        return switch (result.kind()) {
            case DONE -> {
                tries.remove(partition);
                yield Next.ADVANCE;
            }
            case FENCED -> {
                LOG.info("{}: {}-{}@{} left to the partition's new owner", name, record.topic(), record.partition(), record.offset());
                yield Next.STOP;
            }
            case UNAVAILABLE -> unavailable(record, "Kafka cannot be written to now");
            case PACED -> {
                holdFor = result.delay();
                yield Next.HOLD;
            }
        };
    }

    private Next unavailable(ConsumerRecord<byte[], byte[]> record, String why) {
        LOG.warn("{}: {}-{}@{} waits: {}; trying again in {} ms", name, record.topic(), record.partition(), record.offset(), why,
                RecordLoop.UNAVAILABLE_WAIT.toMillis());
        holdFor = RecordLoop.UNAVAILABLE_WAIT;
        return Next.HOLD;
    }

    /** Reads the partition again from {@code offset} once the wait is over; the loop polls the others meanwhile. */
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
        if (waiting.isEmpty()) {
            return POLL_TIMEOUT;
        }
        long next = Collections.min(waiting.values()) - System.nanoTime();
        return next < POLL_TIMEOUT.toNanos() ? Duration.ofNanos(Math.max(next, 0)) : POLL_TIMEOUT;
    }

    /** Asks the loop to stop after the current record, without waiting for it ({@link #close} waits). */
    synchronized void stop() {
        if (running) {
            running = false;
            if (thread.getState() != Thread.State.NEW) {
                consumer.wakeup();
            }
        }
    }

    /** Stops polling after the current record and closes the clients. */
    @Override
    public void close() {
        boolean started;
        synchronized (this) {
            stop();
            started = thread.getState() != Thread.State.NEW;
        }
        if (!started) {
            deliveries.close();
            ledger.close();
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
