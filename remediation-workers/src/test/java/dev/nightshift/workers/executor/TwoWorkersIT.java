package dev.nightshift.workers.executor;

import dev.nightshift.workers.runner.CommittedReader;
import dev.nightshift.schema.LedgerState;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two workers of one group share many requests over several partitions, and one of them is killed (SIGKILL, its JVM
 * gone) mid-way: its partitions move to the other. Every change reached the fake AWS once, however the partitions
 * moved, except one the kill may have caught in flight (made at most once, recorded STARTED, no outcome); every
 * request has one outcome, read_committed, reads included.
 */
@WithKafkaStack
class TwoWorkersIT {
    private static final int REQUESTS = 90;

    @Test
    void everyChangeIsMadeOnceWhileTheWorkersShareThePartitionsAndOneIsKilled(KafkaStack stack, @TempDir Path dir) throws Exception {
        String prefix = KafkaStack.unique("two") + ".";
        Topics topics = WorkerTopics.create(stack, prefix, 4, FakeActions.SCALE, FakeActions.DESCRIBE);
        // The victim's partitions move once the group stops hearing from it: after 6 s.
        Path clientConfig = Files.writeString(dir.resolve("client.properties"), "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
        Path log = Files.createDirectories(Path.of("target")).resolve("two-workers-victim.log");
        try (FakeAws aws = new FakeAws().slowChanges(Duration.ofMillis(100));
             KafkaProducer<String, RemediationRequest> runner = WorkerTopics.requests(stack, topics);
             CommittedReader<RemediationOutcome> outcomes = new CommittedReader<>(stack.bootstrapServers(), topics.remediationOutcomes());
             CommittedReader<StepLedger> ledger = new CommittedReader<>(stack.bootstrapServers(), topics.actionsLedger())) {
            Map<String, String> settings = new HashMap<>(WorkerTopics.settings(stack, prefix, KafkaStack.unique("workers"), aws));
            settings.put("kafka.client.config", clientConfig.toString());
            Map<String, Object> inThisJvm = new HashMap<>(settings);
            inThisJvm.put("micronaut.server.port", -1);
            settings.put("workers.runner.state-dir", WorkerTopics.stateDir().toString());
            try (EmbeddedServer survivor = ApplicationContext.run(EmbeddedServer.class, inThisJvm);
                 WorkerProcess victim = WorkerProcess.start(settings, log)) {
                StepLoop survivorLoop = survivor.getApplicationContext().getBean(StepConsumer.class).loop();
                // 8 partitions over two topics: the survivor holds only part of them once the victim has joined
                await().atMost(Duration.ofSeconds(90)).until(() -> victim.ready() && survivorLoop.ready() && survivorLoop.assignedPartitions() < 8);
                String victimName = ":" + victim.pid();

                Instant now = Instant.now();
                for (int i = 0; i < REQUESTS; i++) {
                    String action = i % 3 == 2 ? FakeActions.DESCRIBE : FakeActions.SCALE;
                    WorkerTopics.send(runner, topics, StepRequests.request("r-" + i, "inc-" + (i % 30), action, "w-" + i, now).build());
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.values().size() >= 20);
                victim.kill();
                assertThat(outcomes.values().size()).as("the kill came while requests were still being run").isLessThan(REQUESTS);

                // every request has its outcome, but one the victim may have left STARTED
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> outcomes.values().size() + interrupted(ledger.values(), outcomes.values(), victimName).size() == REQUESTS);
                // give a straggler (a duplicate) the time of another transaction to show up
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);

                List<RemediationOutcome> written = outcomes.values();
                Set<String> interrupted = interrupted(ledger.values(), written, victimName);
                assertThat(written).extracting(RemediationOutcome::getRequestId).as("one outcome per request").doesNotHaveDuplicates();
                assertThat(interrupted).as("at most the change in flight at the kill").hasSizeLessThanOrEqualTo(1)
                        .allSatisfy(id -> assertThat(Integer.parseInt(id.substring(2)) % 3).as(id + " is a change").isNotEqualTo(2));
                Map<String, Long> changes = aws.callsPerRequest("/change");
                for (int i = 0; i < REQUESTS; i++) {
                    String id = "r-" + i;
                    if (i % 3 == 2) {
                        assertThat(aws.calls("/read", id)).as(id + ", a read, was made").isGreaterThanOrEqualTo(1);
                    } else if (interrupted.contains(id)) {
                        assertThat(changes.getOrDefault(id, 0L)).as(id + " (interrupted) was made at most once").isLessThanOrEqualTo(1L);
                    } else {
                        assertThat(changes.get(id)).as(id + " was made exactly once").isEqualTo(1L);
                    }
                }
                assertThat(written).allSatisfy(o -> assertThat(o.getStatus().name()).as(o.getRequestId()).isEqualTo("SUCCEEDED"));
                Map<String, Long> byWorker = ledger.values().stream().filter(e -> e.getState() == LedgerState.STARTED)
                        .collect(Collectors.groupingBy(e -> e.getWorker().endsWith(victimName) ? "victim" : "survivor", Collectors.counting()));
                assertThat(byWorker).as("both workers made changes").containsKeys("victim", "survivor");
            }
        }
    }

    /** Changes the victim recorded STARTED that have no outcome. */
    private static Set<String> interrupted(List<StepLedger> ledger, List<RemediationOutcome> outcomes, String victimName) {
        Set<String> done = outcomes.stream().map(RemediationOutcome::getRequestId).collect(Collectors.toSet());
        Map<String, StepLedger> latest = ledger.stream().collect(Collectors.toMap(StepLedger::getRequestId, Function.identity(), (a, b) -> b));
        return latest.values().stream().filter(e -> e.getState() == LedgerState.STARTED && e.getWorker().endsWith(victimName))
                .map(StepLedger::getRequestId).filter(id -> !done.contains(id)).collect(Collectors.toSet());
    }
}
