package dev.nightshift.workers.runner;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.LedgerState;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.nightshift.workers.runner.PlaybookRunEndToEndIT.incidentId;
import static dev.nightshift.workers.runner.PlaybookRunEndToEndIT.last;
import static dev.nightshift.workers.runner.PlaybookRunEndToEndIT.log;
import static dev.nightshift.workers.runner.PlaybookRunEndToEndIT.status;
import static dev.nightshift.workers.runner.PlaybookRunEndToEndIT.transitions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the workers service (each in a JVM of its own: a runner and executors, one application and one
 * group) share 30 incidents of {@link TestPlaybook} over six partitions; in the second half one instance is killed
 * (SIGKILL) while a change it is making is held in flight at the stand-in for AWS, and the other takes its partitions
 * over. Every run ends: completed, or escalated for the step the kill interrupted; every step of every run reached AWS
 * once and was never made again; and the blast radius is counted once across the instances: of two incidents on one
 * resource, exactly one is let through.
 */
@WithKafkaStack
class TwoInstancesIT {
    private static final int PARTITIONS = 6;
    private static final int INCIDENTS = 30;

    @Test
    void everyRunEndsAndEveryStepIsMadeAtMostOnceWhenOneOfTwoInstancesIsKilled(KafkaStack stack, @TempDir Path dir) throws Exception {
        String prefix = KafkaStack.unique("two-runners") + ".";
        Topics topics = RunnerTopics.create(stack, prefix, PARTITIONS);
        String app = KafkaStack.unique("two-runners");
        Path playbooks = TestPlaybook.write(dir, Duration.ofMinutes(1));
        // A lost instance's partitions move once the group stops hearing from it: after 6 s.
        Path clientConfig = Files.writeString(dir.resolve("client.properties"), "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");

        List<Incident> firstHalf = new ArrayList<>();
        for (int n = 1; n <= INCIDENTS / 2 - 2; n++) {
            firstHalf.add(TestPlaybook.incident(incidentId("orders-" + n), Integer.toString(n)));
        }
        // two incidents on one resource, their runs on different partitions: one live change of an action per resource per hour
        List<Incident> onOneResource = incidentsOnOneResourceOnTwoPartitions("shared");
        firstHalf.addAll(onOneResource);
        List<Incident> secondHalf = new ArrayList<>();
        for (int n = INCIDENTS / 2 + 1; n <= INCIDENTS; n++) {
            secondHalf.add(TestPlaybook.incident(incidentId("orders-" + n), Integer.toString(n)));
        }
        Incident held = secondHalf.get(4);
        String heldFunction = held.getLabels().get("FunctionName");

        try (AwsStandIn aws = new AwsStandIn().hold(heldFunction, Duration.ofMinutes(5));
             KafkaProducer<String, Incident> triage = RunnerTopics.incidents(stack, topics);
             CommittedReader<PlaybookRun> runs = new CommittedReader<>(stack.bootstrapServers(), topics.playbookRuns());
             CommittedReader<RemediationOutcome> outcomes = new CommittedReader<>(stack.bootstrapServers(), topics.remediationOutcomes());
             CommittedReader<StepLedger> ledger = new CommittedReader<>(stack.bootstrapServers(), topics.actionsLedger())) {
            Map<String, String> a = instance(stack, prefix, app, "instance-a", dir, playbooks, aws, clientConfig);
            Map<String, String> b = instance(stack, prefix, app, "instance-b", dir, playbooks, aws, clientConfig);
            try (WorkersService instanceA = WorkersService.start(a, log("two-instances-a"));
                 WorkersService instanceB = WorkersService.start(b, log("two-instances-b"))) {
                await().atMost(Duration.ofSeconds(120)).until(() -> instanceA.ready() && instanceB.ready());

                for (Incident incident : firstHalf) {
                    RunnerTopics.send(triage, topics, incident);
                }
                await().atMost(Duration.ofSeconds(90)).until(() -> ended(runs.values(), firstHalf) == firstHalf.size());
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ledger.values()).as("both instances made changes")
                        .extracting(StepLedger::getWorker).anyMatch(worker -> WorkersService.wrote(a, worker))
                        .anyMatch(worker -> WorkersService.wrote(b, worker)));

                for (Incident incident : secondHalf) {
                    RunnerTopics.send(triage, topics, incident);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> aws.concurrencyChanges(heldFunction) == 1);
                StepLedger started = await().atMost(Duration.ofSeconds(10)).until(() -> ledger.values().stream()
                        .filter(e -> e.getIncidentId().equals(held.getIncidentId()) && e.getAction().equals("lambda-concurrency"))
                        .findFirst().orElse(null), entry -> entry != null);
                boolean aHoldsIt = WorkersService.wrote(a, started.getWorker());
                (aHoldsIt ? instanceA : instanceB).kill();
                assertThat(ended(runs.values(), secondHalf)).as("the kill came while runs were going on").isLessThan(secondHalf.size());

                List<Incident> all = new ArrayList<>(firstHalf);
                all.addAll(secondHalf);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> ended(runs.values(), all) == all.size());
                // give a straggler (a duplicate outcome, a call made again) the time of another transaction to show up
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> aws.concurrencyChanges(heldFunction) == 1);

                List<PlaybookRun> records = runs.values();
                Map<String, PlaybookRun> ends = all.stream().collect(Collectors.toMap(Incident::getIncidentId, i -> last(records, i)));
                PlaybookRun interrupted = ends.get(held.getIncidentId());
                assertThat(interrupted.getStatus()).isEqualTo(RunStatus.ESCALATED);
                assertThat(interrupted.getSteps()).extracting(s -> s.getStatus().name()).containsExactly("SUCCEEDED", "INTERRUPTED", "PENDING");

                List<PlaybookRun> shared = onOneResource.stream().map(i -> ends.get(i.getIncidentId())).toList();
                assertThat(shared).as("of two incidents on one resource, one is let through").extracting(PlaybookRun::getStatus)
                        .containsExactlyInAnyOrder(RunStatus.COMPLETED, RunStatus.ESCALATED);
                PlaybookRun refused = shared.stream().filter(r -> r.getStatus() == RunStatus.ESCALATED).findFirst().orElseThrow();
                assertThat(refused.getSteps()).extracting(s -> s.getStatus().name()).containsExactly("SUCCEEDED", "REFUSED", "PENDING");
                assertThat(refused.getReason()).contains("blast radius: at most 1 live run(s) of lambda-concurrency per resource");
                assertThat(aws.trailLookups(TestPlaybook.table("shared"))).as("each run read the resource once").isEqualTo(2);
                assertThat(aws.concurrencyChanges(TestPlaybook.function("shared"))).as("the resource's one live change").isEqualTo(1);
                assertThat(aws.capacityChanges(TestPlaybook.table("shared"))).as("the change after it, in the run let through").isEqualTo(1);

                Set<String> others = ends.keySet().stream().filter(id -> !id.equals(held.getIncidentId()) && !id.equals(refused.getIncidentId()))
                        .collect(Collectors.toSet());
                assertThat(others).hasSize(INCIDENTS - 2).allSatisfy(id -> assertThat(ends.get(id).getStatus()).as(id).isEqualTo(RunStatus.COMPLETED));
                all.forEach(incident -> assertThat(transitions(records, incident)).as(incident.getIncidentId()).isNotEmpty());

                List<RemediationOutcome> written = outcomes.values();
                assertThat(written).as("one outcome per request").extracting(o -> o.getRequestId() + " " + o.getMode()).doesNotHaveDuplicates();
                Set<String> onShared = onOneResource.stream().map(Incident::getIncidentId).collect(Collectors.toSet());
                assertThat(written).filteredOn(o -> !onShared.contains(o.getIncidentId())).as("every step of the others reached AWS once")
                        .allSatisfy(o -> assertThat(aws.callsFor(o.getAction(), o.getInputs())).as(o.getRequestId() + " " + o.getMode()).isEqualTo(1L));
                assertThat(written).filteredOn(o -> o.getIncidentId().equals(held.getIncidentId()))
                        .extracting(o -> o.getStepIndex() + " " + o.getMode() + " " + o.getStatus())
                        .containsExactly("0 run SUCCEEDED", "1 recover INTERRUPTED");
                assertThat(PlaybookRunEndToEndIT.ledger(ledger.values()).get(interrupted.getSteps().get(1).getRequestId()))
                        .as("the held change: started, never finished").containsExactly(LedgerState.STARTED);
            }
        }
    }

    private static Map<String, String> instance(KafkaStack stack, String prefix, String app, String instance, Path dir, Path playbooks,
                                                AwsStandIn aws, Path clientConfig) throws Exception {
        Map<String, String> env = WorkersService.environment(stack, prefix, app, instance, Files.createDirectories(dir.resolve(instance)),
                playbooks, aws);
        env.put("KAFKA_CLIENT_CONFIG", clientConfig.toString());
        env.put("WORKERS_RUNNER_RECOVER_GRACE", "PT5S");
        env.put("WORKERS_RUNNER_BLAST_RADIUS_PER_ACTION", "100");
        return env;
    }

    /** Two incidents about one table and function, whose ids (the key of incidents) fall on different partitions. */
    private static List<Incident> incidentsOnOneResourceOnTwoPartitions(String resource) {
        Incident first = TestPlaybook.incident(incidentId("orders-" + resource + "-1"), resource);
        for (int attempt = 2; ; attempt++) {
            Incident second = TestPlaybook.incident(incidentId("orders-" + resource + "-" + attempt), resource);
            if (partition(second.getIncidentId()) != partition(first.getIncidentId())) {
                return List.of(first, second);
            }
        }
    }

    /** The partition the producer's default partitioner picks for a key. */
    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** How many of the incidents' runs have ended. */
    private static long ended(List<PlaybookRun> runs, List<Incident> incidents) {
        Set<RunStatus> ended = EnumSet.of(RunStatus.COMPLETED, RunStatus.ESCALATED, RunStatus.STOPPED, RunStatus.CANCELLED);
        return incidents.stream().map(i -> status(runs, i)).filter(s -> s != null && ended.contains(s)).count();
    }
}
