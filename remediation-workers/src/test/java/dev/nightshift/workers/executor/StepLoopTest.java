package dev.nightshift.workers.executor;

import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.serde.SchemaRegistryException;
import dev.nightshift.topics.Topic;
import dev.nightshift.workers.WorkersConfig;
import dev.nightshift.workers.actions.ActionCatalog;
import dev.nightshift.workers.actions.ActionSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The executor's poll loop, with Kafka's in-memory consumer (over an in-memory log, so that a partition moved back is
 * read again from there, as from a broker) and transactional producer: what waits and what goes on meanwhile, that
 * nothing overtakes an outcome waiting to be written, that a fenced worker reads its request again, that a batch's
 * outcomes share one transaction and are read again when it fails, poison, readiness.
 */
class StepLoopTest {
    private static final String TOPIC = "actions.scale-widget";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    static {
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                type -> "dev.nightshift.schema".equals(type.getPackageName())));
    }

    private final LogConsumer consumer = new LogConsumer();
    private final StepExecutorTest.Widget change = new StepExecutorTest.Widget(ActionSpec.Kind.CHANGE);
    /** Every producer the loop's transactions made, in order. */
    private final List<MockProducer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
    /** Commits to fail, once each, with CommitFailedException: the group moved on. */
    private final AtomicInteger commitsToFence = new AtomicInteger();
    /** Commits to fail, once each, with a timeout: Kafka unavailable. */
    private final AtomicInteger commitsToTimeOut = new AtomicInteger();
    private final AtomicBoolean registryDown = new AtomicBoolean();
    private final AtomicInteger aborted = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private StepLoop loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    private void start() {
        WorkersConfig config = new WorkersConfig();
        config.setDryRun(false);
        Clock clock = Clock.systemUTC();
        StepMetrics metrics = new StepMetrics(meters);
        StepExecutor executor = new StepExecutor(new ActionCatalog(List.of(change)), config, "us-east-1", clock, metrics);
        StepTransactions transactions = new StepTransactions(() -> {
            MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
                @Override
                public void commitTransaction() {
                    if (commitsToFence.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new CommitFailedException("consumer group metadata mismatch: ILLEGAL_GENERATION");
                    }
                    if (commitsToTimeOut.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new TimeoutException("Timeout expired after 10000ms while awaiting EndTxn(true)");
                    }
                    super.commitTransaction();
                }

                @Override
                public void abortTransaction() {
                    aborted.incrementAndGet();
                    super.abortTransaction();
                }
            };
            producers.add(producer);
            return producer;
        }, executor, new Topic<>("remediation.outcomes", Serdes.String(), Serdes.serdeFrom(
                (topic, outcome) -> bytes(() -> outcome.toByteBuffer()), (topic, bytes) -> null)),
                new Topic<>("actions.ledger", Serdes.String(), Serdes.serdeFrom((topic, entry) -> bytes(() -> entry.toByteBuffer()),
                        (topic, bytes) -> (StepLedger) null)), "worker-a", clock, metrics);
        Deserializer<RemediationRequest> requests = (topic, bytes) -> {
            String value = new String(bytes, StandardCharsets.UTF_8);
            if (value.equals("poison")) {
                throw new IllegalArgumentException("Unknown magic byte!");
            }
            if (registryDown.get()) {
                throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, "the registry cannot be reached");
            }
            // "dry-..." asks for a dry-run: decided without a call; "check-..." a check: a call made without the ledger
            return StepRequests.request(value, "inc-" + value, "scale-widget", "w-7", Instant.now()).setDryRun(value.startsWith("dry-"))
                    .setMode(value.startsWith("check-") ? "check" : "run").build();
        };
        loop = new StepLoop("workers-actions", consumer, Pattern.compile("actions\\..*"), topics -> { }, requests, transactions).start();
    }

    @Test
    void aRequestWaitingForTheRegistryHoldsItsPartitionWhileTheOthersGoOnAndIsThenRunOnce() {
        registryDown.set(true);
        start();
        consumer.rebalanceTo(P0, P1);
        consumer.append(P0, "r1", "r2");
        await().atMost(WAIT).until(() -> loop.waitingPartitions() >= 1);
        registryDown.set(false);
        consumer.append(P1, "r3");

        await().atMost(WAIT).until(() -> change.calls.size() == 3);
        assertThat(change.calls).containsExactly("execute r3", "execute r1", "execute r2");
        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 2L, P1, 1L)));
        assertThat(loop.waitingPartitions()).isZero();
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void whenAnOutcomeWaitsToBeWrittenNothingOvertakesItAndItsChangeIsNotMadeAgain() {
        AtomicBoolean failed = new AtomicBoolean();
        change.onCall = () -> {
            if (failed.compareAndSet(false, true)) {
                producers.get(producers.size() - 1).commitTransactionException = new TimeoutException("the broker went away");
            }
        };
        start();
        consumer.rebalanceTo(P0, P1);
        consumer.append(P0, "r1", "r2");
        await().atMost(WAIT).until(() -> loop.waitingOutcomes() == 1);
        consumer.append(P1, "r3");
        assertThat(consumer.paused()).as("every partition waits for the outcome").containsExactlyInAnyOrder(P0, P1);

        await().atMost(WAIT).until(() -> change.calls.size() == 3);
        assertThat(change.calls).as("r1 made once; nothing ran before its outcome was written")
                .containsExactlyInAnyOrder("execute r1", "execute r2", "execute r3").startsWith("execute r1");
        MockProducer<byte[], byte[]> successor = producers.get(1);
        assertThat(successor.history().get(0).topic()).as("the waiting outcome is the successor's first record").isEqualTo("remediation.outcomes");
        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 2L, P1, 1L)));
        assertThat(loop.waitingOutcomes()).isZero();
    }

    @Test
    void aWorkerFencedByItsGroupCallsNothingAndReadsTheRequestAgainFromWhereItWas() {
        commitsToFence.set(1);
        start();
        consumer.rebalanceTo(P0);
        consumer.append(P0, "r1", "r2");

        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 2L)));
        assertThat(change.calls).as("the fenced try called nothing; the next made r1 once").containsExactly("execute r1", "execute r2");
        assertThat(aborted).as("the fenced transaction was aborted").hasValue(1);
        assertThat(producers).as("and the producer kept").hasSize(1);
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithItsOffsetAndTheNextRequestFollows() {
        start();
        consumer.rebalanceTo(P0);
        consumer.append(P0, "poison", "r1");

        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 2L)));
        assertThat(producers.get(0).history().get(0).topic()).isEqualTo("actions.scale-widget.dlq");
        assertThat(change.calls).containsExactly("execute r1");
    }

    @Test
    void theDecidedRequestsOfAPollBatchAreWrittenInOneTransactionWithEachPartitionsLastOffset() {
        consumer.append(P0, "dry-1", "dry-2", "dry-3");
        consumer.append(P1, "dry-4", "dry-5");
        start();
        consumer.rebalanceTo(P0, P1);

        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 3L, P1, 2L)));
        assertThat(producers).hasSize(1);
        assertThat(producers.get(0).commitCount()).as("one transaction for the batch").isEqualTo(1);
        assertThat(outcomesWritten()).containsExactlyInAnyOrder("dry-1", "dry-2", "dry-3", "dry-4", "dry-5");
        assertThat(stepsCounted()).isEqualTo(5);
        assertThat(change.calls).isEmpty();
    }

    @Test
    void aBatchEndsAfterItsFirstCallSoThatAPollWaitsForOneCallAtMost() {
        consumer.append(P0, "dry-1", "check-2", "dry-3", "check-4");
        start();
        consumer.rebalanceTo(P0);

        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 4L)));
        assertThat(change.calls).containsExactly("check check-2", "check check-4");
        assertThat(producers.get(0).consumerGroupOffsetsHistory()).as("one transaction per batch, each ending with its call")
                .extracting(offsets -> offsets.get(consumer.groupMetadata().groupId()).get(P0).offset()).containsExactly(2L, 4L);
        assertThat(outcomesWritten()).containsExactly("dry-1", "check-2", "dry-3", "check-4");
    }

    @Test
    void aChangeAfterDecidedRequestsIsStartedInOneTransactionWithTheirOutcomesBeforeItsCall() {
        List<String> writtenWhenCalled = new CopyOnWriteArrayList<>();
        change.onCall = () -> writtenWhenCalled.addAll(outcomesWritten());
        consumer.append(P0, "dry-1", "dry-2", "r3");
        start();
        consumer.rebalanceTo(P0);

        await().atMost(WAIT).until(() -> outcomesWritten().size() == 3);
        assertThat(writtenWhenCalled).as("the batch's outcomes were committed before the call").containsExactly("dry-1", "dry-2");
        MockProducer<byte[], byte[]> producer = producers.get(0);
        assertThat(producer.history()).extracting(ProducerRecord::topic).as("with STARTED, then the change's outcome with FINISHED")
                .containsExactly("remediation.outcomes", "remediation.outcomes", "actions.ledger", "remediation.outcomes", "actions.ledger");
        assertThat(producer.commitCount()).isEqualTo(2);
        assertThat(committed()).isEqualTo(Map.of(P0, 3L));
    }

    @Test
    void aBatchWhoseTransactionIsFencedIsReadAgainFromEachPartitionsFirstRequestAndWrittenOnce() {
        commitsToFence.set(1);
        consumer.append(P0, "dry-1", "dry-2");
        consumer.append(P1, "dry-3");
        start();
        consumer.rebalanceTo(P0, P1);

        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 2L, P1, 1L)));
        assertThat(aborted).as("the fenced batch was aborted").hasValue(1);
        assertThat(outcomesWritten()).as("every outcome once").containsExactlyInAnyOrder("dry-1", "dry-2", "dry-3");
        assertThat(stepsCounted()).as("counted once, when written").isEqualTo(3);
    }

    @Test
    void aBatchWhoseTransactionFailsWaitsOnEachOfItsPartitionsAndIsThenWrittenOnce() {
        commitsToTimeOut.set(1);
        consumer.append(P0, "dry-1", "dry-2", "dry-3");
        consumer.append(P1, "dry-4");
        start();
        consumer.rebalanceTo(P0, P1);

        await().atMost(WAIT).until(() -> loop.waitingPartitions() == 2);
        assertThat(outcomesWritten()).isEmpty();
        assertThat(stepsCounted()).as("nothing counted").isZero();
        await().atMost(WAIT).until(() -> committed().equals(Map.of(P0, 3L, P1, 1L)));
        assertThat(outcomesWritten()).as("every outcome once").containsExactlyInAnyOrder("dry-1", "dry-2", "dry-3", "dry-4");
        assertThat(stepsCounted()).isEqualTo(4);
        assertThat(producers).as("the failed producer was replaced").hasSize(2);
    }

    @Test
    void theLoopIsReadyOnlyWithAnAssignment() {
        start();
        await().atMost(WAIT).until(() -> loop.healthy());
        assertThat(loop.ready()).isFalse();
        consumer.rebalanceTo(P0);
        await().atMost(WAIT).until(() -> loop.ready());
        assertThat(loop.assignedPartitions()).isEqualTo(1);
        loop.close();
        assertThat(loop.ready()).isFalse();
    }

    /** The request ids of the outcomes committed, over every producer's transactions, in order. */
    private List<String> outcomesWritten() {
        List<String> written = new ArrayList<>();
        for (MockProducer<byte[], byte[]> producer : producers) {
            for (ProducerRecord<byte[], byte[]> record : producer.history()) {
                if (record.topic().equals("remediation.outcomes")) {
                    try {
                        written.add(RemediationOutcome.fromByteBuffer(ByteBuffer.wrap(record.value())).getRequestId());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return written;
    }

    private double stepsCounted() {
        return meters.find("nightshift.steps").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The last offset committed per partition, over every producer's transactions. */
    private Map<TopicPartition, Long> committed() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (MockProducer<byte[], byte[]> producer : producers) {
            for (Map<String, Map<TopicPartition, OffsetAndMetadata>> commit : producer.consumerGroupOffsetsHistory()) {
                commit.values().forEach(byPartition -> byPartition.forEach((p, o) -> offsets.put(p, o.offset())));
            }
        }
        return offsets;
    }

    interface Encoding {
        ByteBuffer encode() throws IOException;
    }

    private static byte[] bytes(Encoding encoding) {
        try {
            ByteBuffer buffer = encoding.encode();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A consumer over an in-memory log per partition: a seek moves back in it, as on a broker; a paused partition returns nothing. */
    private static final class LogConsumer extends MockConsumer<byte[], byte[]> {
        private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log = new ConcurrentHashMap<>();
        private final Object appended = new Object();

        LogConsumer() {
            super("earliest");
            // what a pattern subscription finds in the cluster's metadata
            updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null), new PartitionInfo(TOPIC, 1, null, null, null)));
            updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
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

        void append(TopicPartition partition, String... values) {
            List<ConsumerRecord<byte[], byte[]>> records = log.computeIfAbsent(partition, p -> new CopyOnWriteArrayList<>());
            for (String value : values) {
                records.add(new ConsumerRecord<>(partition.topic(), partition.partition(), records.size(),
                        "key".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
            }
            wake();
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            super.poll(Duration.ZERO);   // rebalances and wake-ups scheduled by the test
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

        private void wake() {
            synchronized (appended) {
                appended.notifyAll();
            }
        }
    }
}
