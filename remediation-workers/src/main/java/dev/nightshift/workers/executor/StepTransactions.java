package dev.nightshift.workers.executor;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.schema.LedgerState;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.serde.SchemaRegistryException;
import dev.nightshift.topics.Topic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
 * A transaction that fails for any other reason (Kafka unreachable, a timeout whose result is unknown) leaves the request
 * to be handled again later; the producer is replaced, its transactional id kept, so the new one ends what the old one
 * left open. An outcome whose transaction fails after the call waits in memory and is written before anything else.
 * Another producer with this transactional id (a second worker with the same instance id) is fatal: {@link WorkerFenced}.
 */
final class StepTransactions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StepTransactions.class);

    /** What became of a request. */
    enum Handled {
        /** Its outcome (or dead letter) and its offset are committed. */
        DONE,
        /** Not handled, nothing called: this worker no longer owns the partition; the request is read again from the committed offset. */
        FENCED,
        /** Not handled, nothing changed: something it needs is unavailable; it is to be handled again later. */
        UNAVAILABLE,
        /** Its change was made and its offset committed; its outcome waits to be written ({@link #writeWaitingOutcomes}). */
        OUTCOME_WAITS
    }

    private enum Commit { COMMITTED, FENCED, FAILED }

    /** Thrown when another producer took this worker's transactional id: this worker must stop. */
    static final class WorkerFenced extends RuntimeException {
        WorkerFenced(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final StepExecutor executor;
    private final Topic<String, RemediationOutcome> outcomes;
    private final Topic<String, StepLedger> ledger;
    private final String worker;
    private final Clock clock;
    private final StepMetrics metrics;
    /** Outcomes of changes made whose transaction failed, oldest first. Poll thread only. */
    private final List<RemediationOutcome> waiting = new ArrayList<>();
    private Producer<byte[], byte[]> producer;

    /**
     * @param producers makes a transactional producer (always with the same transactional id); this class initializes,
     *                  owns and closes it
     * @param worker    this worker, as the ledger names it
     */
    StepTransactions(Supplier<Producer<byte[], byte[]>> producers, StepExecutor executor, Topic<String, RemediationOutcome> outcomes,
                     Topic<String, StepLedger> ledger, String worker, Clock clock, StepMetrics metrics) {
        this.producers = producers;
        this.executor = executor;
        this.outcomes = outcomes;
        this.ledger = ledger;
        this.worker = worker;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Handles the request read at {@code record}, as the class comment says, committing its offset for {@code group}. */
    Handled handle(ConsumerRecord<byte[], byte[]> record, RemediationRequest request, ConsumerGroupMetadata group) {
        Map<TopicPartition, OffsetAndMetadata> offset = nextOffset(record);
        StepExecutor.Prepared prepared;
        try {
            prepared = executor.prepare(request);
        } catch (RuntimeException e) {   // a request this code cannot take; nothing was called
            return deadLetter(record, "prepare", e, group);
        }
        if (!(prepared instanceof StepExecutor.Call call)) {
            return recorded(((StepExecutor.Decided) prepared).outcome(), offset, group);
        }
        if (!call.atMostOnce()) {
            return recorded(call.make(), offset, group);
        }
        Commit started = commit(() -> List.of(ledgerRecord(request, LedgerState.STARTED)), offset, group);
        if (started == Commit.FENCED) {
            LOG.info("request {} ({}) not run: this worker no longer owns {}-{}", request.getRequestId(), request.getAction(),
                    record.topic(), record.partition());
            return Handled.FENCED;
        }
        if (started == Commit.FAILED) {
            return Handled.UNAVAILABLE;
        }
        RemediationOutcome outcome = call.make();
        if (commit(() -> finished(outcome), Map.of(), group) == Commit.COMMITTED) {
            metrics.written(outcome);
            return Handled.DONE;
        }
        LOG.warn("request {} ({}) ran; its outcome waits to be written: {}", request.getRequestId(), request.getAction(), outcome.getSummary());
        waiting.add(outcome);
        return Handled.OUTCOME_WAITS;
    }

    /** Writes the record to its dead-letter topic, in one transaction with its offset. */
    Handled deadLetter(ConsumerRecord<byte[], byte[]> record, String stage, Exception error, ConsumerGroupMetadata group) {
        LOG.warn("{}-{}@{} goes to the dead-letter topic ({} failed): {}", record.topic(), record.partition(), record.offset(), stage,
                DeadLetters.describe(error));
        return switch (commit(() -> List.of(DeadLetters.of(record, "workers-actions/" + stage, error)), nextOffset(record), group)) {
            case COMMITTED -> Handled.DONE;
            case FENCED -> Handled.FENCED;
            case FAILED -> Handled.UNAVAILABLE;
        };
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
            if (commit(() -> finished(outcome), Map.of(), null) != Commit.COMMITTED) {
                return false;
            }
            metrics.written(outcome);
            waiting.remove(0);
        }
        return true;
    }

    private Handled recorded(RemediationOutcome outcome, Map<TopicPartition, OffsetAndMetadata> offset, ConsumerGroupMetadata group) {
        return switch (commit(() -> List.of(outcomeRecord(outcome)), offset, group)) {
            case COMMITTED -> {
                metrics.written(outcome);
                yield Handled.DONE;
            }
            case FENCED -> Handled.FENCED;
            case FAILED -> Handled.UNAVAILABLE;
        };
    }

    /** Writes the records, and commits the offsets for the group if any, in one transaction. */
    private Commit commit(Supplier<List<ProducerRecord<byte[], byte[]>>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                          ConsumerGroupMetadata group) {
        if (!offsets.isEmpty() && group.generationId() < 0) {
            // Not a member of its group now: the broker would take offsets without a generation unchecked.
            return Commit.FENCED;
        }
        List<ProducerRecord<byte[], byte[]>> serialized;
        try {
            serialized = records.get();
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isRegistryTrouble(e)) {
                LOG.warn("the schema registry cannot be used now: {}", DeadLetters.describe(e));
                return Commit.FAILED;
            }
            throw e;
        }
        Producer<byte[], byte[]> transactional;
        try {
            transactional = producer();
        } catch (KafkaException e) {
            LOG.warn("no transactional producer now: {}", DeadLetters.describe(e));
            return Commit.FAILED;
        }
        try {
            transactional.beginTransaction();
            for (ProducerRecord<byte[], byte[]> record : serialized) {
                transactional.send(record);
            }
            if (!offsets.isEmpty()) {
                transactional.sendOffsetsToTransaction(offsets, group);
            }
            transactional.commitTransaction();
            return Commit.COMMITTED;
        } catch (KafkaException e) {
            if (causedBy(e, ProducerFencedException.class)) {
                discardProducer();
                throw new WorkerFenced("another worker took this worker's transactional id (the same WORKERS_GROUP_INSTANCE_ID?)", e);
            }
            if (causedBy(e, CommitFailedException.class) || causedBy(e, FencedInstanceIdException.class)
                    || causedBy(e, IllegalGenerationException.class) || causedBy(e, UnknownMemberIdException.class)
                    || causedBy(e, RebalanceInProgressException.class)) {
                abort(transactional);
                return Commit.FENCED;
            }
            // Its result may be unknown (a timed-out commit): a new producer with the same id ends it either way.
            LOG.warn("a transaction failed: {}; the producer is replaced", DeadLetters.describe(e));
            discardProducer();
            return Commit.FAILED;
        }
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            Producer<byte[], byte[]> created = producers.get();
            try {
                created.initTransactions();
            } catch (KafkaException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    private void abort(Producer<byte[], byte[]> transactional) {
        try {
            transactional.abortTransaction();
        } catch (KafkaException e) {
            discardProducer();
        }
    }

    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (KafkaException e) {
                LOG.debug("closing a failed producer: {}", e.toString());
            }
            producer = null;
        }
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

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Tries once more to write the outcomes that wait (their loss is logged), then closes the producer. */
    @Override
    public void close() {
        if (!waiting.isEmpty() && !writeWaitingOutcomes()) {
            waiting.forEach(outcome -> LOG.error("the outcome of request {} ({}, incident {}) could not be written: {} - {}",
                    outcome.getRequestId(), outcome.getAction(), outcome.getIncidentId(), outcome.getStatus(), outcome.getSummary()));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
