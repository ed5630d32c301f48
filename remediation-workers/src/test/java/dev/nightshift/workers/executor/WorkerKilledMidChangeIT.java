package dev.nightshift.workers.executor;

import dev.nightshift.workers.runner.CommittedReader;
import dev.nightshift.schema.LedgerState;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At most once through a crash: a worker, in a JVM of its own, is killed (SIGKILL) while a change's call is in flight
 * at the fake standing in for AWS, then started again. The call reached "AWS" once; the request is not run again;
 * the ledger shows it STARTED and never FINISHED, with no outcome, until the runner asks the worker to recover it.
 */
@WithKafkaStack
class WorkerKilledMidChangeIT {
    @Test
    void aChangeInFlightWhenItsWorkerIsKilledIsNeverMadeAgain(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("killed") + ".";
        Topics topics = WorkerTopics.create(stack, prefix, 2, FakeActions.SCALE);
        Path log = Files.createDirectories(Path.of("target")).resolve("killed-worker.log");
        try (FakeAws aws = new FakeAws().hold("r-held", Duration.ofSeconds(60));
             KafkaProducer<String, RemediationRequest> runner = WorkerTopics.requests(stack, topics);
             CommittedReader<RemediationOutcome> outcomes = new CommittedReader<>(stack.bootstrapServers(), topics.remediationOutcomes());
             CommittedReader<StepLedger> ledger = new CommittedReader<>(stack.bootstrapServers(), topics.actionsLedger())) {
            Map<String, String> settings = new HashMap<>(WorkerTopics.settings(stack, prefix, KafkaStack.unique("workers"), aws));
            settings.put("workers.group-instance-id", "worker-1");   // as ./pipeline up runs it: a restart takes its partitions back at once
            Instant now = Instant.now();
            try (WorkerProcess worker = WorkerProcess.start(settings, log)) {
                await().atMost(Duration.ofSeconds(60)).until(worker::ready);
                // two steps of one incident: one partition, in this order
                WorkerTopics.send(runner, topics, StepRequests.request("r-held", "inc-7", FakeActions.SCALE, "w-1", now).build());
                WorkerTopics.send(runner, topics, StepRequests.request("r-next", "inc-7", FakeActions.SCALE, "w-2", now).build());

                await().atMost(Duration.ofSeconds(30)).until(() -> aws.calls("/change", "r-held") == 1);
                assertThat(states(ledger.values(), "r-held")).as("recorded before the call").containsExactly(LedgerState.STARTED);
                worker.kill();
            }
            assertThat(aws.calls("/change", "r-next")).as("the step behind it had not run").isZero();

            try (WorkerProcess restarted = WorkerProcess.start(settings, log)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> outcome(outcomes.values(), "r-next", "run") != null);
                // the runner, finding r-held STARTED without an outcome, asks what became of it
                WorkerTopics.send(runner, topics, StepRequests.request("r-held", "inc-7", FakeActions.SCALE, "w-1", now)
                        .setMode("recover").build());
                await().atMost(Duration.ofSeconds(30)).until(() -> outcome(outcomes.values(), "r-held", "recover") != null);
            }

            assertThat(aws.calls("/change", "r-held")).as("the call in flight at the kill reached AWS once, and was not made again").isEqualTo(1);
            assertThat(aws.calls("/change", "r-next")).isEqualTo(1);
            List<RemediationOutcome> written = outcomes.values();
            assertThat(written).extracting(o -> o.getRequestId() + " " + o.getMode() + " " + o.getStatus())
                    .containsExactly("r-next run SUCCEEDED", "r-held recover INTERRUPTED");
            assertThat(outcome(written, "r-held", "recover").getSummary()).isEqualTo("fake-scale may have started; not run again (its resource does not tell what it did)");
            assertThat(states(ledger.values(), "r-held")).as("started, never finished").containsExactly(LedgerState.STARTED);
            assertThat(states(ledger.values(), "r-next")).containsExactly(LedgerState.STARTED, LedgerState.FINISHED);
            assertThat(ledger.values()).filteredOn(e -> e.getRequestId().equals("r-held")).singleElement()
                    .satisfies(e -> assertThat(e.getWorker()).startsWith("worker-1@"));
        }
    }

    private static List<LedgerState> states(List<StepLedger> ledger, String requestId) {
        return ledger.stream().filter(e -> e.getRequestId().equals(requestId)).map(StepLedger::getState).toList();
    }

    private static RemediationOutcome outcome(List<RemediationOutcome> outcomes, String requestId, String mode) {
        return outcomes.stream().filter(o -> o.getRequestId().equals(requestId) && o.getMode().equals(mode)).findFirst().orElse(null);
    }
}
