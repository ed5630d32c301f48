package dev.nightshift.workers.executor;

import dev.nightshift.workers.runner.CommittedReader;
import dev.nightshift.kafka.KafkaSettings;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topics;
import dev.nightshift.workers.WorkersConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * KIP-447 on a real broker: a worker that read a request and then lost its partition to another member (it stopped
 * polling for longer than its group allows: a long pause, a stuck thread) is fenced when it tries to record the
 * change as started, and calls nothing; the partition's new owner runs the request, once.
 */
@WithKafkaStack
class FencedWorkerIT {
    @Test
    void aWorkerThatLostItsPartitionToAnotherCallsNothingAndTheOtherRunsTheRequestOnce(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("fenced") + ".";
        Topics topics = WorkerTopics.create(stack, prefix, 1, FakeActions.SCALE);
        String group = KafkaStack.unique("workers");
        KafkaSettings kafka = KafkaSettings.of(stack.bootstrapServers());
        try (FakeAws aws = new FakeAws();
             KafkaProducer<String, RemediationRequest> runner = WorkerTopics.requests(stack, topics);
             CommittedReader<StepLedger> ledger = new CommittedReader<>(stack.bootstrapServers(), topics.actionsLedger());
             CommittedReader<RemediationOutcome> outcomes = new CommittedReader<>(stack.bootstrapServers(), topics.remediationOutcomes());
             KafkaConsumer<byte[], byte[]> zombie = member(kafka, group, "zombie");
             KafkaConsumer<byte[], byte[]> successor = member(kafka, group, "successor")) {
            WorkerTopics.send(runner, topics, StepRequests.request("r1", "inc-1", FakeActions.SCALE, "w-1", Instant.now()).build());
            StepTransactions zombieWorker = transactions(kafka, topics, aws, "zombie");
            StepTransactions successorWorker = transactions(kafka, topics, aws, "successor");

            zombie.subscribe(List.of(topics.actions(FakeActions.SCALE).name()));
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                zombie.poll(Duration.ofMillis(200)).forEach(read::add);
                return !read.isEmpty();
            });
            ConsumerGroupMetadata before = zombie.groupMetadata();
            // The zombie stops polling; the group gives up on it and hands its partition to the successor.
            successor.subscribe(List.of(topics.actions(FakeActions.SCALE).name()));
            List<ConsumerRecord<byte[], byte[]>> reread = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                successor.poll(Duration.ofMillis(200)).forEach(reread::add);
                return !reread.isEmpty();
            });

            RemediationRequest request = topics.actions(FakeActions.SCALE).valueSerde().deserializer().deserialize(read.get(0).topic(), read.get(0).value());
            StepTransactions.Handled zombieTry = zombieWorker.handle(read.get(0), request, zombie.groupMetadata());
            StepTransactions.Handled successorTry = successorWorker.handle(reread.get(0), request, successor.groupMetadata());

            assertThat(before.generationId()).as("the zombie had joined").isPositive();
            assertThat(zombieTry).isEqualTo(StepTransactions.Handled.FENCED);
            assertThat(successorTry).isEqualTo(StepTransactions.Handled.DONE);
            assertThat(aws.calls("/change", "r1")).as("made once, by the successor").isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.values().size() == 1);
            assertThat(ledger.values()).extracting(e -> e.getState() + " " + e.getWorker()).containsExactly("STARTED successor", "FINISHED successor");
            zombieWorker.close();
            successorWorker.close();
        }
    }

    private static KafkaConsumer<byte[], byte[]> member(KafkaSettings kafka, String group, String name) {
        Map<String, Object> config = kafka.consumer(group, name);
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 6000);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        return new KafkaConsumer<>(config);
    }

    private static StepTransactions transactions(KafkaSettings kafka, Topics topics, FakeAws aws, String worker) {
        WorkersConfig config = new WorkersConfig();
        config.setDryRun(false);
        StepMetrics metrics = new StepMetrics(new SimpleMeterRegistry());
        StepExecutor executor = new StepExecutor(new dev.nightshift.workers.actions.ActionCatalog(FakeActions.all(aws.url())), config,
                "us-east-1", Clock.systemUTC(), metrics);
        Map<String, Object> producer = kafka.producer(worker);
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaStack.unique(worker));
        return new StepTransactions(() -> new KafkaProducer<>(producer), executor, topics.remediationOutcomes(), topics.actionsLedger(),
                worker, Clock.systemUTC(), metrics);
    }
}
