package dev.nightshift.workers.executor;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.kafka.OffsetTransactions;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.serde.SchemaRegistryException;
import dev.nightshift.topics.Topic;
import dev.nightshift.workers.WorkersConfig;
import dev.nightshift.workers.actions.ActionCatalog;
import dev.nightshift.workers.actions.ActionSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transactions around a step, with Kafka's in-memory transactional producer: what is committed before a change
 * is made and what after, that a poll batch's other outcomes share one transaction, that a worker fenced by its group
 * calls nothing, and what becomes of a request when a transaction fails before or after its call.
 */
class StepTransactionsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
    private static final String ACTIONS = "actions.scale-widget";
    private static final TopicPartition PARTITION = new TopicPartition(ACTIONS, 3);
    private static final TopicPartition OTHER = new TopicPartition(ACTIONS, 5);
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("nightshift-workers", 3, "worker-a-1", Optional.empty());

    private final StepExecutorTest.Widget change = new StepExecutorTest.Widget(ActionSpec.Kind.CHANGE);
    private final StepExecutorTest.Widget read = new StepExecutorTest.Widget(ActionSpec.Kind.READ);
    private final WorkersConfig config = new WorkersConfig();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Every producer the transactions made, in order: a failed one is replaced. */
    private final List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
    private final Topic<String, RemediationOutcome> outcomes = new Topic<>("remediation.outcomes", Serdes.String(),
            avro(RemediationOutcome::toByteBuffer, RemediationOutcome::fromByteBuffer));
    private final Topic<String, StepLedger> ledger = new Topic<>("actions.ledger", Serdes.String(),
            avro(StepLedger::toByteBuffer, StepLedger::fromByteBuffer));
    private StepTransactions transactions;

    StepTransactionsTest() {
        config.setDryRun(false);
        transactions = transactions(outcomes);
    }

    private StepTransactions transactions(Topic<String, RemediationOutcome> outcomes) {
        StepExecutor executor = new StepExecutor(new ActionCatalog(List.of(change, read)), config, "us-east-1",
                Clock.fixed(NOW, ZoneOffset.UTC), new StepMetrics(meters));
        return new StepTransactions(() -> {
            MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            producers.add(producer);
            return producer;
        }, executor, outcomes, ledger, "worker-a", Clock.fixed(NOW, ZoneOffset.UTC), new StepMetrics(meters));
    }

    @Test
    void aChangeIsRecordedStartedWithItsOffsetBeforeItIsMadeAndFinishedWithItsOutcomeAfter() {
        List<String> committedWhenCalled = new ArrayList<>();
        Map<String, Map<TopicPartition, OffsetAndMetadata>> offsetsWhenCalled = new HashMap<>();
        change.onCall = () -> {
            committedWhenCalled.addAll(describe(producer().history()));
            producer().consumerGroupOffsetsHistory().forEach(offsetsWhenCalled::putAll);
            assertThat(producer().transactionInFlight()).as("the call is made outside any transaction").isFalse();
        };

        StepTransactions.Handled handled = transactions.handle(record(41), request("r1", "scale-widget").build(), GROUP);

        assertThat(handled).isEqualTo(StepTransactions.Handled.DONE);
        assertThat(change.calls).containsExactly("execute r1");
        assertThat(committedWhenCalled).as("committed before the call").containsExactly("actions.ledger r1 STARTED worker-a");
        assertThat(offsetsWhenCalled).as("the request's offset went with it, for the worker's group")
                .isEqualTo(Map.of("nightshift-workers", Map.of(PARTITION, new OffsetAndMetadata(42))));
        assertThat(describe(producer().history())).containsExactly("actions.ledger r1 STARTED worker-a",
                "remediation.outcomes inc-1 r1 SUCCEEDED", "actions.ledger r1 FINISHED worker-a");
        assertThat(producer().commitCount()).as("two transactions").isEqualTo(2);
        assertThat(meters.get("nightshift.steps").tags("action", "scale-widget", "mode", "run", "status", "SUCCEEDED").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aWorkerThatLostThePartitionIsFencedAndCallsNothing() {
        change.onCall = () -> {
            throw new AssertionError("a fenced worker must not call the action");
        };
        transactions.handle(record(0), request("r0", "describe-widget").build(), GROUP);
        transactions.commitBatch(GROUP);   // the producer exists
        producer().commitTransactionException = new CommitFailedException("consumer group metadata mismatch: ILLEGAL_GENERATION");

        StepTransactions.Handled handled = transactions.handle(record(41), request("r1", "scale-widget").build(), GROUP);

        assertThat(handled).isEqualTo(StepTransactions.Handled.FENCED);
        assertThat(change.calls).isEmpty();
        assertThat(producer().transactionAborted()).isTrue();
        assertThat(describe(producer().history())).as("nothing of r1 committed").containsExactly("remediation.outcomes inc-1 r0 SUCCEEDED");
    }

    @Test
    void aWorkerThatIsNotAMemberOfItsGroupCommitsNothingAndCallsNothing() {
        StepTransactions.Handled handled = transactions.handle(record(41), request("r1", "scale-widget").build(),
                new ConsumerGroupMetadata("nightshift-workers"));   // no generation: it left or was never given one

        assertThat(handled).isEqualTo(StepTransactions.Handled.FENCED);
        assertThat(change.calls).isEmpty();
        assertThat(producers).as("no transaction was begun").isEmpty();
    }

    @Test
    void whenTheStartCannotBeRecordedTheChangeIsNotMadeAndTheRequestWaitsWithANewProducer() {
        transactions.handle(record(0), request("r0", "describe-widget").build(), GROUP);
        transactions.commitBatch(GROUP);
        producer().commitTransactionException = new TimeoutException("Timeout expired after 10000ms while awaiting EndTxn(true)");

        StepTransactions.Handled first = transactions.handle(record(41), request("r1", "scale-widget").build(), GROUP);
        StepTransactions.Handled again = transactions.handle(record(41), request("r1", "scale-widget").build(), GROUP);

        assertThat(first).isEqualTo(StepTransactions.Handled.UNAVAILABLE);
        assertThat(producers).hasSize(2);
        assertThat(producers.get(0).closed()).as("the producer whose commit timed out is replaced").isTrue();
        assertThat(producers.get(1).transactionInitialized()).as("its successor, with the same id, ends what it left open").isTrue();
        assertThat(again).isEqualTo(StepTransactions.Handled.DONE);
        assertThat(change.calls).as("made once, after its start was recorded").containsExactly("execute r1");
    }

    @Test
    void anOutcomeThatCannotBeWrittenAfterTheChangeWaitsAndIsWrittenLaterWithoutCallingAgain() {
        change.onCall = () -> producer().commitTransactionException = new TimeoutException("the broker went away");

        StepTransactions.Handled handled = transactions.handle(record(41), request("r1", "scale-widget").build(), GROUP);

        assertThat(handled).isEqualTo(StepTransactions.Handled.OUTCOME_WAITS);
        assertThat(transactions.outcomesWait()).isTrue();
        assertThat(describe(producers.get(0).history())).containsExactly("actions.ledger r1 STARTED worker-a");
        assertThat(producers.get(0).consumerGroupOffsetsHistory()).as("its offset is committed: it is not delivered again").hasSize(1);
        change.onCall = () -> {
        };
        assertThat(transactions.writeWaitingOutcomes()).isTrue();
        assertThat(transactions.outcomesWait()).isFalse();
        assertThat(describe(producer().history())).containsExactly("remediation.outcomes inc-1 r1 SUCCEEDED", "actions.ledger r1 FINISHED worker-a");
        assertThat(change.calls).containsExactly("execute r1");
    }

    @Test
    void theReadsDryRunsAndRefusalsOfABatchAreWrittenWithTheirLastOffsetsInOneTransactionAndNoLedger() {
        List<StepTransactions.Handled> handled = List.of(
                transactions.handle(record(10), request("r-read", "describe-widget").build(), GROUP),
                transactions.handle(record(OTHER, 4), request("r-other", "scale-widget").setDryRun(true).build(), GROUP),
                transactions.handle(record(11), request("r-dry", "scale-widget").setDryRun(true).build(), GROUP),
                transactions.handle(record(12), request("r-late", "scale-widget").setTimeoutAt(NOW.minusSeconds(1)).build(), GROUP),
                transactions.handle(record(13), request("r-check", "scale-widget").setMode("check").build(), GROUP));

        assertThat(handled).as("a read and a check call their action; the others are decided without a call").containsExactly(
                StepTransactions.Handled.CALLED, StepTransactions.Handled.PENDING, StepTransactions.Handled.PENDING,
                StepTransactions.Handled.PENDING, StepTransactions.Handled.CALLED);
        assertThat(producers).as("nothing committed before the batch ends").isEmpty();
        assertThat(meters.find("nightshift.steps").counters()).as("nothing counted before it is written").isEmpty();

        assertThat(transactions.commitBatch(GROUP)).isEqualTo(StepTransactions.Handled.DONE);

        assertThat(producer().commitCount()).as("one transaction for the batch").isEqualTo(1);
        assertThat(describe(producer().history())).containsExactly("remediation.outcomes inc-1 r-read SUCCEEDED",
                "remediation.outcomes inc-1 r-other PLANNED", "remediation.outcomes inc-1 r-dry PLANNED",
                "remediation.outcomes inc-1 r-late REFUSED", "remediation.outcomes inc-1 r-check SUCCEEDED");
        assertThat(producer().consumerGroupOffsetsHistory()).as("the offset after each partition's last request")
                .containsExactly(Map.of("nightshift-workers", Map.of(PARTITION, new OffsetAndMetadata(14), OTHER, new OffsetAndMetadata(5))));
        assertThat(read.calls).containsExactly("execute r-read");
        assertThat(change.calls).containsExactly("check r-check");
        assertThat(meters.get("nightshift.steps").tags("action", "scale-widget", "mode", "run", "status", "PLANNED").counter().count())
                .isEqualTo(2);
        assertThat(transactions.commitBatch(GROUP)).as("nothing left to commit").isEqualTo(StepTransactions.Handled.DONE);
        assertThat(producer().commitCount()).isEqualTo(1);
    }

    @Test
    void theBatchsPendingOutcomesAreCommittedWithAChangesStartBeforeItsCall() {
        List<String> committedWhenCalled = new ArrayList<>();
        List<Map<String, Map<TopicPartition, OffsetAndMetadata>>> offsetsWhenCalled = new ArrayList<>();
        change.onCall = () -> {
            committedWhenCalled.addAll(describe(producer().history()));
            offsetsWhenCalled.addAll(producer().consumerGroupOffsetsHistory());
        };
        transactions.handle(record(10), request("r-dry", "scale-widget").setDryRun(true).build(), GROUP);
        transactions.handle(record(OTHER, 4), request("r-read", "describe-widget").build(), GROUP);

        StepTransactions.Handled handled = transactions.handle(record(11), request("r1", "scale-widget").build(), GROUP);

        assertThat(handled).isEqualTo(StepTransactions.Handled.DONE);
        assertThat(committedWhenCalled).as("the pending outcomes and STARTED, committed before the call").containsExactly(
                "remediation.outcomes inc-1 r-dry PLANNED", "remediation.outcomes inc-1 r-read SUCCEEDED", "actions.ledger r1 STARTED worker-a");
        assertThat(offsetsWhenCalled).as("in one transaction with every partition's offset")
                .containsExactly(Map.of("nightshift-workers", Map.of(PARTITION, new OffsetAndMetadata(12), OTHER, new OffsetAndMetadata(5))));
        assertThat(producer().commitCount()).as("the start with the batch, then the outcome").isEqualTo(2);
        assertThat(transactions.commitBatch(GROUP)).isEqualTo(StepTransactions.Handled.DONE);
        assertThat(producer().commitCount()).as("nothing was left pending").isEqualTo(2);
        assertThat(meters.get("nightshift.steps").tags("action", "scale-widget", "mode", "run", "status", "PLANNED").counter().count())
                .isEqualTo(1);
    }

    @Test
    void whenABatchsTransactionIsFencedOrFailsNothingOfItIsWrittenOrCountedAndItsRequestsAreReadAgainFromTheFirst() {
        transactions.handle(record(9), request("r0", "describe-widget").build(), GROUP);
        transactions.commitBatch(GROUP);   // the producer exists
        producer().commitTransactionException = new CommitFailedException("consumer group metadata mismatch: ILLEGAL_GENERATION");
        transactions.handle(record(10), request("r-dry", "scale-widget").setDryRun(true).build(), GROUP);
        transactions.handle(record(OTHER, 4), request("r-other", "scale-widget").setDryRun(true).build(), GROUP);
        transactions.handle(record(11), request("r-read", "describe-widget").build(), GROUP);

        assertThat(transactions.commitBatch(GROUP)).isEqualTo(StepTransactions.Handled.FENCED);

        assertThat(producer().transactionAborted()).isTrue();
        assertThat(describe(producer().history())).as("only the earlier batch is written").containsExactly("remediation.outcomes inc-1 r0 SUCCEEDED");
        assertThat(transactions.takeRolledBack()).isEqualTo(Map.of(PARTITION, 10L, OTHER, 4L));
        assertThat(transactions.takeRolledBack()).as("taken once").isEmpty();
        assertThat(meters.find("nightshift.steps").tag("status", "PLANNED").counters()).as("nothing counted").isEmpty();

        transactions.handle(record(10), request("r-dry", "scale-widget").setDryRun(true).build(), GROUP);
        read.onCall = () -> producer().commitTransactionException = new TimeoutException("the broker went away");
        assertThat(transactions.handle(record(11), request("r-read", "describe-widget").build(), GROUP)).isEqualTo(StepTransactions.Handled.CALLED);
        assertThat(transactions.commitBatch(GROUP)).isEqualTo(StepTransactions.Handled.UNAVAILABLE);
        assertThat(transactions.takeRolledBack()).isEqualTo(Map.of(PARTITION, 10L));
        assertThat(meters.find("nightshift.steps").tag("status", "PLANNED").counters()).as("nothing counted").isEmpty();
    }

    @Test
    void whenAChangesStartCannotBeRecordedThePendingOutcomesGoBackWithIt() {
        transactions.handle(record(0), request("r0", "describe-widget").build(), GROUP);
        transactions.commitBatch(GROUP);   // the producer exists
        transactions.handle(record(OTHER, 4), request("r-dry", "scale-widget").setDryRun(true).build(), GROUP);
        producer().commitTransactionException = new TimeoutException("Timeout expired after 10000ms while awaiting EndTxn(true)");

        StepTransactions.Handled handled = transactions.handle(record(41), request("r1", "scale-widget").build(), GROUP);

        assertThat(handled).isEqualTo(StepTransactions.Handled.UNAVAILABLE);
        assertThat(change.calls).isEmpty();
        assertThat(transactions.takeRolledBack()).isEqualTo(Map.of(OTHER, 4L));
        assertThat(describe(producers.get(0).history())).containsExactly("remediation.outcomes inc-1 r0 SUCCEEDED");
    }

    @Test
    void aReadWhoseTransactionFailsIsMadeAgainWhenTheRequestIsHandledAgain() {
        transactions.handle(record(9), request("r-dry", "scale-widget").setDryRun(true).build(), GROUP);
        transactions.commitBatch(GROUP);   // the producer exists
        read.onCall = () -> producer().commitTransactionException = new TimeoutException("the broker went away");
        transactions.handle(record(10), request("r-read", "describe-widget").build(), GROUP);
        StepTransactions.Handled first = transactions.commitBatch(GROUP);
        read.onCall = () -> {
        };
        transactions.handle(record(10), request("r-read", "describe-widget").build(), GROUP);
        StepTransactions.Handled again = transactions.commitBatch(GROUP);

        assertThat(first).isEqualTo(StepTransactions.Handled.UNAVAILABLE);
        assertThat(again).isEqualTo(StepTransactions.Handled.DONE);
        assertThat(read.calls).as("a read may be made twice; its outcome is written once").containsExactly("execute r-read", "execute r-read");
        assertThat(describe(producer().history())).containsExactly("remediation.outcomes inc-1 r-read SUCCEEDED");
        assertThat(producers).hasSize(2);
    }

    @Test
    void whenTheRegistryIsUnreachableNothingIsCalledAndTheRequestWaits() {
        AtomicBoolean registryDown = new AtomicBoolean(true);
        Topic<String, RemediationOutcome> flaky = new Topic<>(outcomes.name(), Serdes.String(), Serdes.serdeFrom((topic, outcome) -> {
            if (registryDown.get()) {
                throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, "the registry cannot be reached");
            }
            return outcomes.valueSerde().serializer().serialize(topic, outcome);
        }, outcomes.valueSerde().deserializer()));
        transactions = transactions(flaky);

        transactions.handle(record(10), request("r-dry", "scale-widget").setDryRun(true).build(), GROUP);
        StepTransactions.Handled handled = transactions.commitBatch(GROUP);

        assertThat(handled).isEqualTo(StepTransactions.Handled.UNAVAILABLE);
        assertThat(producers).as("no transaction was begun").isEmpty();
        assertThat(transactions.takeRolledBack()).isEqualTo(Map.of(PARTITION, 10L));
        registryDown.set(false);
        transactions.handle(record(10), request("r-dry", "scale-widget").setDryRun(true).build(), GROUP);
        assertThat(transactions.commitBatch(GROUP)).isEqualTo(StepTransactions.Handled.DONE);
    }

    @Test
    void anotherProducerWithThisWorkersTransactionalIdStopsThisWorkerBeforeItCallsAnything() {
        transactions.handle(record(0), request("r0", "describe-widget").build(), GROUP);
        transactions.commitBatch(GROUP);
        producer().commitTransactionException = new ProducerFencedException("There is a newer producer with the same transactionalId");

        assertThatThrownBy(() -> transactions.handle(record(41), request("r1", "scale-widget").build(), GROUP))
                .isInstanceOf(OffsetTransactions.InstanceFenced.class).hasMessageContaining("WORKERS_GROUP_INSTANCE_ID");
        assertThat(change.calls).isEmpty();
    }

    @Test
    void aDeadLetterGoesWithItsOffsetInOneTransaction() {
        ConsumerRecord<byte[], byte[]> poison = new ConsumerRecord<>(ACTIONS, 3, 7, "inc-1".getBytes(StandardCharsets.UTF_8),
                "not avro".getBytes(StandardCharsets.UTF_8));

        StepTransactions.Handled handled = transactions.deadLetter(poison, "deserialize", new IllegalArgumentException("Unknown magic byte!"), GROUP);

        assertThat(handled).isEqualTo(StepTransactions.Handled.DONE);
        assertThat(producer().commitCount()).isEqualTo(1);
        assertThat(producer().history()).singleElement().satisfies(dead -> {
            assertThat(dead.topic()).isEqualTo("actions.scale-widget.dlq");
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE)).isEqualTo("workers-actions/deserialize");
        });
        assertThat(producer().consumerGroupOffsetsHistory()).containsExactly(Map.of("nightshift-workers", Map.of(PARTITION, new OffsetAndMetadata(8))));
    }

    private MockProducer<byte[], byte[]> producer() {
        return producers.get(producers.size() - 1);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return record(PARTITION, offset);
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "inc-1".getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    private static RemediationRequest.Builder request(String requestId, String action) {
        return StepRequests.request(requestId, "inc-1", action, "w-7", NOW.minusSeconds(5));
    }

    /** "remediation.outcomes inc-1 r1 SUCCEEDED", "actions.ledger r1 STARTED worker-a". */
    private List<String> describe(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().map(record -> {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.topic().equals(ledger.name())) {
                StepLedger entry = ledger.valueSerde().deserializer().deserialize(record.topic(), record.value());
                return record.topic() + " " + key + " " + entry.getState() + " " + entry.getWorker();
            }
            RemediationOutcome outcome = outcomes.valueSerde().deserializer().deserialize(record.topic(), record.value());
            return record.topic() + " " + key + " " + outcome.getRequestId() + " " + outcome.getStatus();
        }).toList();
    }

    interface Encoder<V> {
        ByteBuffer encode(V value) throws IOException;
    }

    interface Decoder<V> {
        V decode(ByteBuffer bytes) throws IOException;
    }

    static {
        // As the pipeline's registry serde does: Avro loads only the classes it is told to trust.
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                type -> "dev.nightshift.schema".equals(type.getPackageName())));
    }

    /** Avro's single-object encoding, standing in for the registry's wire format. */
    private static <V> Serde<V> avro(Encoder<V> encoder, Decoder<V> decoder) {
        return Serdes.serdeFrom((topic, value) -> {
            try {
                ByteBuffer buffer = encoder.encode(value);
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, (topic, bytes) -> {
            try {
                return decoder.decode(ByteBuffer.wrap(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
