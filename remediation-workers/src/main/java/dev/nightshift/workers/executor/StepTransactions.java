package dev.nightshift.workers.executor;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.kafka.OffsetTransactions;
import dev.nightshift.schema.LedgerState;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Kafka transactions around one step request, which make a change at most once. A change (a CHANGE action's run
 * or undo, not in dry-run) is recorded STARTED on the ledger, keyed by request id, in one transaction with the
 * request's offset; only once that transaction has committed is the action called; its outcome and the ledger's
 * FINISHED follow in a second transaction. The offset goes with the consumer's group generation (KIP-447): a worker
 * that lost the request's partition to another is fenced, its first transaction fails and it calls nothing, while the
 * partition's new owner reads on from the committed offset. A worker that dies after the first transaction leaves
 * STARTED without FINISHED and no outcome, and the request is not delivered again. Everything else (a read, a check, a
 * recover, a dry-run, a refusal, a dead letter) is written in one transaction with the offset: read_committed readers
 * see each outcome once, and a read interrupted before its transaction is made again.
 * <p>
 * Outcomes that need no at-most-once (decided without a call, or a call that may be made twice) are not committed one
 * by one: they are pending, with the offset after each, until the next transaction of the poll batch takes them
 * ({@link #commitBatch} at the batch's end, a change's STARTED before its call, or a dead letter), so a batch of them
 * costs one transaction. When that transaction fails, none of them is written, and their requests are to be read again
 * from the first of them on each partition ({@link #takeRolledBack}).
 * <p>
 * A transaction that fails for any other reason (Kafka unreachable, a timeout whose result is unknown) leaves the request
 * to be handled again later; the producer is replaced, its transactional id kept, so the new one ends what the old one
 * left open. An outcome whose transaction fails after the call waits in memory and is written before anything else.
 * The transactions themselves are {@link OffsetTransactions}: another producer with this transactional id (a second
 * worker with the same instance id) is fatal: {@link OffsetTransactions.InstanceFenced}.
 */
final class StepTransactions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StepTransactions.class);

    /** What became of a request. */
    enum Handled {
        /** Its outcome (or dead letter) and its offset are committed. */
        DONE,
        /** Decided without a call; its outcome and offset are pending: the batch's next transaction commits them ({@link #commitBatch}). */
        PENDING,
        /** Its action was called (a call that may be made twice: a read, a check, a recover); its outcome and offset are pending, as PENDING's. */
        CALLED,
        /**
         * Not handled, nothing called: this worker no longer owns the partition; the request (and those whose pending
         * outcomes the transaction took with it: {@link #takeRolledBack}) is read again from the committed offset.
         */
        FENCED,
        /**
         * Not handled, nothing changed: something it needs is unavailable; it (and the requests whose pending outcomes
         * the transaction took with it: {@link #takeRolledBack}) is to be handled again later.
         */
        UNAVAILABLE,
        /** Its change was made and its offset committed; its outcome waits to be written ({@link #writeWaitingOutcomes}). */
        OUTCOME_WAITS
    }

    private final OffsetTransactions transactions;
    private final StepExecutor executor;
    private final Topic<String, RemediationOutcome> outcomes;
    private final Topic<String, StepLedger> ledger;
    private final String worker;
    private final Clock clock;
    private final StepMetrics metrics;
    /** Outcomes of changes made whose transaction failed, oldest first. Poll thread only. */
    private final List<RemediationOutcome> waiting = new ArrayList<>();
    /** Outcomes handled in this batch and not yet committed, in order. Poll thread only. */
    private final List<RemediationOutcome> pending = new ArrayList<>();
    /** The offset after the last pending outcome's request, per partition. */
    private final Map<TopicPartition, OffsetAndMetadata> pendingOffsets = new HashMap<>();
    /** The offset of the first pending outcome's request, per partition. */
    private final Map<TopicPartition, Long> pendingFrom = new HashMap<>();
    /** Where to read again the requests whose pending outcomes the last failed transaction took with it. */
    private Map<TopicPartition, Long> rolledBack = Map.of();

    /**
     * @param producers makes a transactional producer (always with the same transactional id); owned and closed here
     * @param worker    this worker, as the ledger names it
     */
    StepTransactions(Supplier<Producer<byte[], byte[]>> producers, StepExecutor executor, Topic<String, RemediationOutcome> outcomes,
                     Topic<String, StepLedger> ledger, String worker, Clock clock, StepMetrics metrics) {
        this.transactions = new OffsetTransactions(producers, "WORKERS_GROUP_INSTANCE_ID");
        this.executor = executor;
        this.outcomes = outcomes;
        this.ledger = ledger;
        this.worker = worker;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Handles the request read at {@code record}, as the class comment says, committing its offset for {@code group}
     * (at once for a change, with the batch otherwise).
     */
    Handled handle(ConsumerRecord<byte[], byte[]> record, RemediationRequest request, ConsumerGroupMetadata group) {
        Map<TopicPartition, OffsetAndMetadata> offset = nextOffset(record);
        StepExecutor.Prepared prepared;
        try {
            prepared = executor.prepare(request);
        } catch (RuntimeException e) {   // a request this code cannot take; nothing was called
            return deadLetter(record, "prepare", e, group);
        }
        if (!(prepared instanceof StepExecutor.Call call)) {
            return pending(((StepExecutor.Decided) prepared).outcome(), record);
        }
        if (!call.atMostOnce()) {
            pending(call.make(), record);
            return Handled.CALLED;
        }
        OffsetTransactions.Commit started = commitWithBatch(() -> List.of(ledgerRecord(request, LedgerState.STARTED)), offset, group);
        if (started == OffsetTransactions.Commit.FENCED) {
            LOG.info("request {} ({}) not run: this worker no longer owns {}-{}", request.getRequestId(), request.getAction(),
                    record.topic(), record.partition());
            return Handled.FENCED;
        }
        if (started == OffsetTransactions.Commit.FAILED) {
            return Handled.UNAVAILABLE;
        }
        RemediationOutcome outcome = call.make();
        if (transactions.commit(() -> finished(outcome), Map.of(), group) == OffsetTransactions.Commit.COMMITTED) {
            metrics.written(outcome);
            return Handled.DONE;
        }
        LOG.warn("request {} ({}) ran; its outcome waits to be written: {}", request.getRequestId(), request.getAction(), outcome.getSummary());
        waiting.add(outcome);
        return Handled.OUTCOME_WAITS;
    }

    /** Writes the record to its dead-letter topic, in one transaction with its offset and the pending outcomes. */
    Handled deadLetter(ConsumerRecord<byte[], byte[]> record, String stage, Exception error, ConsumerGroupMetadata group) {
        LOG.warn("{}-{}@{} goes to the dead-letter topic ({} failed): {}", record.topic(), record.partition(), record.offset(), stage,
                DeadLetters.describe(error));
        return handled(commitWithBatch(() -> List.of(DeadLetters.of(record, "workers-actions/" + stage, error)), nextOffset(record), group));
    }

    /**
     * Commits the pending outcomes with their offsets in one transaction, at the end of a poll batch: DONE (also when
     * none is pending), or FENCED or UNAVAILABLE, and then none of them is written ({@link #takeRolledBack}).
     */
    Handled commitBatch(ConsumerGroupMetadata group) {
        return pending.isEmpty() ? Handled.DONE : handled(commitWithBatch(List::of, Map.of(), group));
    }

    /**
     * The first offset, per partition, of the requests whose pending outcomes the last failed transaction took with it:
     * they are to be read again from there. Empty when there are none; cleared by the call.
     */
    Map<TopicPartition, Long> takeRolledBack() {
        Map<TopicPartition, Long> taken = rolledBack;
        rolledBack = Map.of();
        return taken;
    }

    /** Whether outcomes of changes made wait to be written. */
    boolean outcomesWait() {
        return !waiting.isEmpty();
    }

    int waitingOutcomes() {
        return waiting.size();
    }

    /** Tries once to write the outcomes that wait, oldest first; true when none waits any more. */
    boolean writeWaitingOutcomes() {
        while (!waiting.isEmpty()) {
            RemediationOutcome outcome = waiting.get(0);
            if (transactions.commit(() -> finished(outcome), Map.of(), null) != OffsetTransactions.Commit.COMMITTED) {
                return false;
            }
            metrics.written(outcome);
            waiting.remove(0);
        }
        return true;
    }

    /** The outcome waits, with the offset after its request, for the batch's next transaction. */
    private Handled pending(RemediationOutcome outcome, ConsumerRecord<byte[], byte[]> record) {
        pending.add(outcome);
        pendingOffsets.putAll(nextOffset(record));
        pendingFrom.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        return Handled.PENDING;
    }

    /**
     * Commits {@code records} and {@code offsets} in one transaction with the pending outcomes and their offsets. The
     * pending outcomes are counted once committed; either way they are no longer pending, and when the transaction
     * failed their requests are to be read again ({@link #takeRolledBack}).
     */
    private OffsetTransactions.Commit commitWithBatch(Supplier<List<ProducerRecord<byte[], byte[]>>> records,
                                                      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        List<RemediationOutcome> batch = List.copyOf(pending);
        Map<TopicPartition, OffsetAndMetadata> allOffsets = new HashMap<>(pendingOffsets);
        allOffsets.putAll(offsets);
        Map<TopicPartition, Long> from = Map.copyOf(pendingFrom);
        pending.clear();
        pendingOffsets.clear();
        pendingFrom.clear();
        OffsetTransactions.Commit commit = transactions.commit(() -> {
            List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>(batch.size() + 1);
            batch.forEach(outcome -> all.add(outcomeRecord(outcome)));
            all.addAll(records.get());
            return all;
        }, allOffsets, group);
        if (commit == OffsetTransactions.Commit.COMMITTED) {
            batch.forEach(metrics::written);
        } else {
            rolledBack = from;
        }
        return commit;
    }

    private static Handled handled(OffsetTransactions.Commit commit) {
        return switch (commit) {
            case COMMITTED -> Handled.DONE;
            case FENCED -> Handled.FENCED;
            case FAILED -> Handled.UNAVAILABLE;
        };
    }

    private List<ProducerRecord<byte[], byte[]>> finished(RemediationOutcome outcome) {
        return List.of(outcomeRecord(outcome), ledgerRecord(outcome.getRequestId(), outcome.getIncidentId(), outcome.getAction(),
                LedgerState.FINISHED));
    }

    private ProducerRecord<byte[], byte[]> outcomeRecord(RemediationOutcome outcome) {
        return new ProducerRecord<>(outcomes.name(), outcomes.keySerde().serializer().serialize(outcomes.name(), outcome.getIncidentId()),
                outcomes.valueSerde().serializer().serialize(outcomes.name(), outcome));
    }

    private ProducerRecord<byte[], byte[]> ledgerRecord(RemediationRequest request, LedgerState state) {
        return ledgerRecord(request.getRequestId(), request.getIncidentId(), request.getAction(), state);
    }

    private ProducerRecord<byte[], byte[]> ledgerRecord(String requestId, String incidentId, String action, LedgerState state) {
        StepLedger entry = StepLedger.newBuilder().setRequestId(requestId).setIncidentId(incidentId).setAction(action)
                .setState(state).setWorker(worker).setAt(clock.instant()).build();
        return new ProducerRecord<>(ledger.name(), ledger.keySerde().serializer().serialize(ledger.name(), requestId),
                ledger.valueSerde().serializer().serialize(ledger.name(), entry));
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffset(ConsumerRecord<byte[], byte[]> record) {
        return Map.of(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
    }

    /** Tries once more to write the outcomes that wait (their loss is logged), then closes the producer. */
    @Override
    public void close() {
        if (!waiting.isEmpty() && !writeWaitingOutcomes()) {
            waiting.forEach(outcome -> LOG.error("the outcome of request {} ({}, incident {}) could not be written: {} - {}",
                    outcome.getRequestId(), outcome.getAction(), outcome.getIncidentId(), outcome.getStatus(), outcome.getSummary()));
        }
        transactions.close();
    }
}
