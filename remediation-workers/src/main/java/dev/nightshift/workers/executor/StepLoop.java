package dev.nightshift.workers.executor;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.kafka.RecordLoop;
import dev.nightshift.schema.RemediationRequest;
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
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The executor's poll loop over the action topics: each request is handled by {@link StepTransactions}, which commits
 * its offset in a transaction of the producer (never through the consumer), so a request is handled once per group,
 * and a change is made at most once. A poll batch goes on past the requests decided without a call (a dry-run, a
 * refusal) and ends after the first whose action was called, so a poll waits for one call at most (the consumer's
 * {@code max.poll.interval.ms} bounds one call, as with one request per poll); the outcomes that need no at-most-once
 * are committed together, by the batch's end at the latest. Its rules for what goes wrong are {@link RecordLoop}'s: a request that cannot be
 * decoded goes to its topic's dead-letter topic (in one transaction with its offset) and the loop moves on; when
 * something a request needs is unavailable (the schema registry, Kafka's transactions) its partition is moved back to
 * it and paused for {@link RecordLoop#UNAVAILABLE_WAIT} while the loop polls on, as long as it takes; nothing sleeps on
 * the poll thread. Unlike RecordLoop's, a request is never tried again after its action was called: the executor makes
 * one attempt per request, and the runner decides whether to send another.
 * <p>
 * When this worker's transaction is fenced (the group moved the partition to another member), the requests it has
 * read and not committed are read again from the committed offsets, by whoever owns them after the rebalance; when it
 * fails otherwise, they wait as a request does for what is unavailable. When an
 * outcome waits to be written after its change was made, every partition is paused until it is written, so that
 * nothing overtakes it.
 */
public final class StepLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StepLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final Pattern topics;
    private final java.util.function.Consumer<Collection<String>> ensureDeadLetterTopics;
    private final Deserializer<RemediationRequest> deserializer;
    private final StepTransactions transactions;
    private final Thread thread;
    /** Partitions held back at a request, with when (System.nanoTime) they may be read again. Poll thread only. */
    private final Map<TopicPartition, Long> waiting = new HashMap<>();
    /** When (System.nanoTime) to try again to write the outcomes that wait. Poll thread only. */
    private long nextOutcomeTry;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile int assignedPartitions;
    private volatile int waitingPartitions;
    private volatile int waitingOutcomes;
    private volatile Throwable fatal;

    /**
     * @param consumer a consumer with auto-commit off and read_committed; the loop subscribes it when it starts, owns it
     *                 and closes it
     * @param topics   the action topics
     */
    StepLoop(String name, Consumer<byte[], byte[]> consumer, Pattern topics, java.util.function.Consumer<Collection<String>> ensureDeadLetterTopics,
             Deserializer<RemediationRequest> deserializer, StepTransactions transactions) {
        this.name = name;
        this.consumer = consumer;
        this.topics = topics;
        this.ensureDeadLetterTopics = ensureDeadLetterTopics;
        this.deserializer = deserializer;
        this.transactions = transactions;
        this.thread = new Thread(this::run, name);
    }

    /** Starts polling on the loop's own thread. */
    public synchronized StepLoop start() {
        if (thread.getState() == Thread.State.NEW && running) {
            thread.start();
        }
        return this;
    }

    public String name() {
        return name;
    }

    /** True while the loop polls; false before it started and after it stopped or died. */
    public boolean healthy() {
        return running && thread.isAlive() && fatal == null;
    }

    /**
     * True when the loop is doing its work: it polls and has joined its group and received its assignment (an empty
     * one too). False before that, while its partitions are revoked or lost without a new assignment, and after it
     * stopped or died.
     */
    public boolean ready() {
        return assigned && healthy();
    }

    public int assignedPartitions() {
        return assignedPartitions;
    }

    /** The partitions held back at a request that waits for something unavailable. */
    public int waitingPartitions() {
        return waitingPartitions;
    }

    /** The outcomes of changes made that wait to be written. */
    public int waitingOutcomes() {
        return waitingOutcomes;
    }

    private void run() {
        try {
            consumer.subscribe(topics, rebalanceListener());
            while (running) {
                if (!outcomesWritten()) {
                    // Every partition is paused: this poll keeps the group membership. Whatever it returns is read again later.
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(untilNextTry(nextOutcomeTry));
                    records.partitions().forEach(p -> consumer.seek(p, records.records(p).get(0).offset()));
                    continue;
                }
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
            transactions.close();
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
                    // Not fatal: a request that needs one of them waits (its dead-letter transaction fails and is tried again).
                    LOG.warn("{}: could not create the dead-letter topics {}: {}", name, deadLetterTopics, e.toString());
                }
                if (transactions.outcomesWait()) {
                    consumer.pause(consumer.assignment());
                } else {
                    // A partition still paused without a request waiting on it (its wait was forgotten when it was revoked)
                    // would never be read again.
                    Set<TopicPartition> stray = new HashSet<>(consumer.paused());
                    stray.retainAll(consumer.assignment());
                    stray.removeAll(waiting.keySet());
                    consumer.resume(stray);
                }
                assignedPartitions = consumer.assignment().size();
                assigned = true;
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // A batch's outcomes and offsets are committed before the next poll: nothing is pending.
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
        waitingPartitions = waiting.size();
    }

    /**
     * Handles the records in order, partition by partition, up to the first whose action was called (the rest is read
     * again at the next poll), then commits the outcomes still pending. A partition whose
     * request waits is moved back to it and paused; when this worker is fenced, or an outcome waits to be written, every
     * partition is moved back to its first request not handled, and the loop polls again. A partition whose pending
     * outcomes a failed transaction took with it is moved back to the first of them, and waits too (or, fenced, is read
     * again by its owner).
     */
    private void processBatch(ConsumerRecords<byte[], byte[]> records) {
        boolean stop = false;
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (stop || !running) {
                    consumer.seek(partition, record.offset());
                    break;
                }
                StepTransactions.Handled handled = process(record);
                if (handled == StepTransactions.Handled.PENDING) {
                    continue;
                }
                if (handled == StepTransactions.Handled.UNAVAILABLE) {
                    holdBack(partition, record.offset());
                    readRolledBackAgain(handled);
                    break;
                }
                // An action was called (or a dead letter written, or this worker fenced): the batch ends, the rest is
                // read again at the next poll.
                stop = true;
                if (handled == StepTransactions.Handled.FENCED) {
                    consumer.seek(partition, record.offset());
                    readRolledBackAgain(handled);
                    break;
                }
                if (handled == StepTransactions.Handled.OUTCOME_WAITS) {
                    consumer.seek(partition, record.offset() + 1);
                    pauseForOutcomes();
                    break;
                }
            }
        }
        readRolledBackAgain(transactions.commitBatch(consumer.groupMetadata()));
    }

    /** After a failed transaction, moves each partition whose pending outcomes it took with it back to the first of them. */
    private void readRolledBackAgain(StepTransactions.Handled handled) {
        if (handled == StepTransactions.Handled.UNAVAILABLE) {
            transactions.takeRolledBack().forEach(this::holdBack);
        } else if (handled == StepTransactions.Handled.FENCED) {
            transactions.takeRolledBack().forEach(consumer::seek);
        }
    }

    private StepTransactions.Handled process(ConsumerRecord<byte[], byte[]> record) {
        RemediationRequest request;
        try {
            request = deserializer.deserialize(record.topic(), record.headers(), record.value());
            if (request == null) {
                throw new IllegalArgumentException("the record has no value");
            }
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isRegistryTrouble(e)) {
                LOG.warn("{}: {}-{}@{} waits: the schema registry cannot be used now: {}", name, record.topic(), record.partition(),
                        record.offset(), DeadLetters.describe(e));
                return StepTransactions.Handled.UNAVAILABLE;
            }
            return transactions.deadLetter(record, "deserialize", e, consumer.groupMetadata());
        }
        return transactions.handle(record, request, consumer.groupMetadata());
    }

    /** Reads the partition again from {@code offset} once the wait is over; the loop polls the others meanwhile. */
    private void holdBack(TopicPartition partition, long offset) {
        LOG.warn("{}: {}-{}@{} waits; trying again in {} ms", name, partition.topic(), partition.partition(), offset,
                RecordLoop.UNAVAILABLE_WAIT.toMillis());
        consumer.seek(partition, offset);
        consumer.pause(List.of(partition));
        waiting.put(partition, System.nanoTime() + RecordLoop.UNAVAILABLE_WAIT.toNanos());
        waitingPartitions = waiting.size();
    }

    private void pauseForOutcomes() {
        consumer.pause(consumer.assignment());
        nextOutcomeTry = System.nanoTime() + RecordLoop.UNAVAILABLE_WAIT.toNanos();
        waitingOutcomes = transactions.waitingOutcomes();
    }

    /** True when no outcome waits to be written (any that did, and whose wait is over, is tried now). */
    private boolean outcomesWritten() {
        if (!transactions.outcomesWait()) {
            return true;
        }
        if (System.nanoTime() - nextOutcomeTry < 0) {
            return false;
        }
        if (!transactions.writeWaitingOutcomes()) {
            pauseForOutcomes();
            return false;
        }
        waitingOutcomes = 0;
        Set<TopicPartition> resume = new HashSet<>(consumer.assignment());
        resume.removeAll(waiting.keySet());
        consumer.resume(resume);
        return true;
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
        return waiting.isEmpty() ? POLL_TIMEOUT : untilNextTry(Collections.min(waiting.values()));
    }

    private static Duration untilNextTry(long at) {
        long next = at - System.nanoTime();
        return next < POLL_TIMEOUT.toNanos() ? Duration.ofNanos(Math.max(next, 0)) : POLL_TIMEOUT;
    }

    /** Stops polling after the current request, tries once more to write an outcome that waits and closes the clients. */
    @Override
    public void close() {
        boolean started;
        synchronized (this) {
            running = false;
            started = thread.getState() != Thread.State.NEW;
        }
        if (!started) {
            transactions.close();
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
