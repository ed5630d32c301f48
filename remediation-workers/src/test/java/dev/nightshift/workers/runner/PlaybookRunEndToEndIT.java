package dev.nightshift.workers.runner;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.LedgerState;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.schema.StepRun;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A playbook run end to end on a real broker and registry: the workers service as shipped (the runner and the
 * executors, in a JVM of its own, configured by its environment) runs {@link TestPlaybook} (a read, then two changes)
 * for an incident written to {@code incidents} as triage writes it, with the real actions calling a local stand-in for
 * AWS. The happy path makes each step once, in order; a service killed (SIGKILL) while a change is in flight at "AWS"
 * and started again never makes that change again: the runner reports the step INTERRUPTED once its deadline passed
 * and the workers' recovery could not tell what it did, and escalates the run. A read_committed reader of
 * {@code playbook.runs} sees every transition of the run once, in order.
 */
@WithKafkaStack
class PlaybookRunEndToEndIT {
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void eachStepRunsOnceInOrderAndTheRunCompletes(KafkaStack stack, @TempDir Path dir) throws Exception {
        String prefix = KafkaStack.unique("run-e2e") + ".";
        Topics topics = RunnerTopics.create(stack, prefix, 2);
        Incident incident = TestPlaybook.incident(incidentId("orders-1"), "1");
        try (AwsStandIn aws = new AwsStandIn();
             KafkaProducer<String, Incident> triage = RunnerTopics.incidents(stack, topics);
             CommittedReader<PlaybookRun> runs = new CommittedReader<>(stack.bootstrapServers(), topics.playbookRuns());
             CommittedReader<RemediationOutcome> outcomes = new CommittedReader<>(stack.bootstrapServers(), topics.remediationOutcomes());
             CommittedReader<StepLedger> ledger = new CommittedReader<>(stack.bootstrapServers(), topics.actionsLedger());
             WorkersService workers = WorkersService.start(environment(stack, prefix, dir, aws), log("run-e2e-happy"))) {
            await().atMost(Duration.ofSeconds(90)).until(workers::ready);

            RunnerTopics.send(triage, topics, incident);

            await().atMost(Duration.ofSeconds(60)).until(() -> status(runs.values(), incident) == RunStatus.COMPLETED);
            PlaybookRun done = last(runs.values(), incident);
            assertThat(done.getSteps()).extracting(StepRun::getName, s -> s.getStatus().name())
                    .containsExactly(tuple("trail", "SUCCEEDED"), tuple("concurrency", "SUCCEEDED"), tuple("capacity", "SUCCEEDED"));
            assertThat(done.getSteps().get(1).getResults()).containsEntry("reservedConcurrency", "50").containsEntry("before.reservedConcurrency", "20");
            assertThat(done.getSteps().get(2).getResults()).containsEntry("readCapacityUnits", "200");
            assertThat(transitions(runs.values(), incident)).containsExactly(
                    "RUNNING [REQUESTED, PENDING, PENDING]",
                    "RUNNING [SUCCEEDED, REQUESTED, PENDING]",
                    "RUNNING [SUCCEEDED, SUCCEEDED, REQUESTED]",
                    "COMPLETED [SUCCEEDED, SUCCEEDED, SUCCEEDED]");

            List<RemediationOutcome> written = outcomes.values();
            assertThat(written).as("one outcome per step, in order").extracting(o -> o.getStepIndex() + " " + o.getMode() + " " + o.getStatus())
                    .containsExactly("0 run SUCCEEDED", "1 run SUCCEEDED", "2 run SUCCEEDED");
            assertThat(written).extracting(RemediationOutcome::getRequestId).containsExactlyElementsOf(requestIds(done));
            assertThat(written).as("each step reached AWS once").allSatisfy(o ->
                    assertThat(aws.callsFor(o.getAction(), o.getInputs())).as(o.getRequestId()).isEqualTo(1L));
            assertThat(ledger(ledger.values())).as("each change recorded started, then finished").isEqualTo(Map.of(
                    requestIds(done).get(1), List.of(LedgerState.STARTED, LedgerState.FINISHED),
                    requestIds(done).get(2), List.of(LedgerState.STARTED, LedgerState.FINISHED)));
        }
    }

    @Test
    void aChangeInFlightWhenTheServiceIsKilledIsNeverMadeAgainAndTheRunEscalates(KafkaStack stack, @TempDir Path dir) throws Exception {
        String prefix = KafkaStack.unique("run-killed") + ".";
        Topics topics = RunnerTopics.create(stack, prefix, 2);
        Incident incident = TestPlaybook.incident(incidentId("orders-2"), "2");
        String held = TestPlaybook.function("2");
        Path log = log("run-e2e-killed");
        try (AwsStandIn aws = new AwsStandIn().hold(held, Duration.ofMinutes(5));
             KafkaProducer<String, Incident> triage = RunnerTopics.incidents(stack, topics);
             CommittedReader<PlaybookRun> runs = new CommittedReader<>(stack.bootstrapServers(), topics.playbookRuns());
             CommittedReader<RemediationOutcome> outcomes = new CommittedReader<>(stack.bootstrapServers(), topics.remediationOutcomes());
             CommittedReader<StepLedger> ledger = new CommittedReader<>(stack.bootstrapServers(), topics.actionsLedger())) {
            Map<String, String> environment = environment(stack, prefix, dir, aws);
            try (WorkersService workers = WorkersService.start(environment, log)) {
                await().atMost(Duration.ofSeconds(90)).until(workers::ready);
                RunnerTopics.send(triage, topics, incident);

                await().atMost(Duration.ofSeconds(60)).until(() -> aws.concurrencyChanges(held) == 1);
                workers.kill();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> requestIds(last(runs.values(), incident)).get(1) != null);
            String concurrency = requestIds(last(runs.values(), incident)).get(1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ledger(ledger.values()))
                    .as("the change in flight was recorded started before its call").isEqualTo(Map.of(concurrency, List.of(LedgerState.STARTED))));

            try (WorkersService restarted = WorkersService.start(environment, log)) {
                await().atMost(Duration.ofSeconds(120)).until(() -> status(runs.values(), incident) == RunStatus.ESCALATED);
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> aws.concurrencyChanges(held) == 1);
            }

            PlaybookRun escalated = last(runs.values(), incident);
            assertThat(escalated.getSteps()).extracting(StepRun::getName, s -> s.getStatus().name())
                    .containsExactly(tuple("trail", "SUCCEEDED"), tuple("concurrency", "INTERRUPTED"), tuple("capacity", "PENDING"));
            assertThat(escalated.getReason()).startsWith("step 'concurrency' interrupted: lambda-concurrency may have started; not run again");
            assertThat(transitions(runs.values(), incident)).containsExactly(
                    "RUNNING [REQUESTED, PENDING, PENDING]",
                    "RUNNING [SUCCEEDED, REQUESTED, PENDING]",
                    "RUNNING [SUCCEEDED, REQUESTED(recover sent), PENDING]",
                    "ESCALATED [SUCCEEDED, INTERRUPTED(recover sent), PENDING]");

            assertThat(aws.concurrencyChanges(held)).as("the change in flight at the kill reached AWS once, and was never made again").isEqualTo(1);
            assertThat(aws.trailLookups(TestPlaybook.table("2"))).as("the read before it, once").isEqualTo(1);
            assertThat(aws.capacityChanges(TestPlaybook.table("2"))).as("the change after it, never").isZero();
            assertThat(outcomes.values()).extracting(o -> o.getStepIndex() + " " + o.getMode() + " " + o.getStatus())
                    .containsExactly("0 run SUCCEEDED", "1 recover INTERRUPTED");
            assertThat(ledger(ledger.values())).as("started, never finished").isEqualTo(Map.of(concurrency, List.of(LedgerState.STARTED)));
        }
    }

    private static Map<String, String> environment(KafkaStack stack, String prefix, Path dir, AwsStandIn aws) throws Exception {
        Map<String, String> env = WorkersService.environment(stack, prefix, KafkaStack.unique("run-e2e"), "instance-1",
                Files.createDirectories(dir.resolve("state")), TestPlaybook.write(dir, STEP_TIMEOUT), aws);
        env.put("WORKERS_RUNNER_RECOVER_GRACE", "PT5S");
        return env;
    }

    /** An incident id as triage makes them: its fingerprint and when it opened, in base 36. */
    static String incidentId(String fingerprint) {
        return fingerprint + "-" + Long.toString(System.currentTimeMillis(), 36);
    }

    static Path log(String name) throws Exception {
        return Files.createDirectories(Path.of("target")).resolve(name + ".log");
    }

    static PlaybookRun last(List<PlaybookRun> runs, Incident incident) {
        List<PlaybookRun> of = runs.stream().filter(r -> r.getIncidentId().equals(incident.getIncidentId())).toList();
        return of.isEmpty() ? null : of.get(of.size() - 1);
    }

    /** The status of the incident's run as its latest record says, null before its first. */
    static RunStatus status(List<PlaybookRun> runs, Incident incident) {
        PlaybookRun run = last(runs, incident);
        return run == null ? null : run.getStatus();
    }

    /** The ledger's entries, by request id, in order. */
    static Map<String, List<LedgerState>> ledger(List<StepLedger> entries) {
        return entries.stream().collect(Collectors.groupingBy(StepLedger::getRequestId, Collectors.mapping(StepLedger::getState, Collectors.toList())));
    }

    static List<String> requestIds(PlaybookRun run) {
        return run.getSteps().stream().map(StepRun::getRequestId).toList();
    }

    /**
     * The run's records on playbook.runs, each as its status and its steps' (and whether a recover was sent): checked
     * to carry versions one apart, so that no transition is missing or seen twice.
     */
    static List<String> transitions(List<PlaybookRun> runs, Incident incident) {
        List<PlaybookRun> of = runs.stream().filter(r -> r.getIncidentId().equals(incident.getIncidentId())).toList();
        for (int i = 1; i < of.size(); i++) {
            assertThat(of.get(i).getVersion()).as("the version after " + of.get(i - 1).getVersion()).isEqualTo(of.get(i - 1).getVersion() + 1);
        }
        return of.stream().map(r -> r.getStatus() + " " + r.getSteps().stream()
                .map(s -> s.getStatus() + (s.getRecoverSent() ? "(recover sent)" : "")).toList()).toList();
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
