package dev.nightshift.workers.runner;

import dev.nightshift.schema.ActionGuard;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.PlaybookCommand;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.RunnerState;
import dev.nightshift.topics.Topics;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.playbook.Playbooks;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The playbook runner's topology: every playbook run is a state machine keyed by incident id, and every
 * action has a guard keyed by action, so that what must be counted across incidents (blast radius,
 * circuit breaker) is counted once, exactly once, whatever the instances.
 *
 * <pre>
 *   incidents, remediation.outcomes, playbook.commands ─┬─> runner-run-step ──┬─> playbook.runs, approvals.requests
 *   approvals.decisions ─rekey by incident─────────────┘   (runner-runs)     ├─> remediation.outcomes (refusals, skips, hand-overs)
 *   ownership, automation.control (global stores) ─────────────────────────  ├─> actions.&lt;action&gt; (dry-run and read steps, checks)
 *                                                                             └─> proposals ─rekey by action─┐
 *   remediation.outcomes (live changes) ─rekey by action─────────────────────────────────────────────────────┴─> runner-guard-step
 *                                                                    (runner-guards) ──> actions.&lt;action&gt; or remediation.outcomes (refused)
 * </pre>
 * The input topics keyed by incident id must have the same number of partitions, so that the records
 * of one incident meet in one task.
 */
public final class RunnerTopology {
    /** The outcome modes the guard counts: live changes. */
    private static final Set<String> CHANGING_MODES = Set.of(PlaybookRunner.RUN, PlaybookRunner.UNDO);

    private RunnerTopology() {
    }

    /**
     * What the topology needs.
     *
     * @param partitions partitions of the repartition topics: those of {@code incidents}; null lets Streams choose
     */
    public record Settings(Topics topics, Playbooks playbooks, Function<String, Optional<ActionSpec>> actions, Predicate<String> dryRun,
                           PlaybookRunner runner, Guardrails guardrails, Duration punctuateInterval, Duration retention,
                           Integer partitions, boolean persistentStores, RunnerMetrics metrics) {
    }

    public static Topology build(Settings settings) {
        return build(new StreamsBuilder(), settings);
    }

    public static Topology build(StreamsBuilder builder, Settings settings) {
        Topics topics = settings.topics();
        builder.globalTable(topics.ownership().name(), Consumed.with(Serdes.String(), topics.valueSerde(Ownership.class))
                        .withName(RunnerNames.OWNERSHIP + "-source"),
                Materialized.<String, Ownership, KeyValueStore<Bytes, byte[]>>as(RunnerNames.OWNERSHIP)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.valueSerde(Ownership.class)));
        builder.globalTable(topics.automationControl().name(), Consumed.with(Serdes.String(), topics.valueSerde(AutomationControl.class))
                        .withName(RunnerNames.CONTROLS + "-source"),
                Materialized.<String, AutomationControl, KeyValueStore<Bytes, byte[]>>as(RunnerNames.CONTROLS)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.valueSerde(AutomationControl.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(store(settings, RunnerNames.RUNS), Serdes.String(),
                topics.valueSerde(RunnerState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(store(settings, RunnerNames.GUARDS), Serdes.String(),
                topics.valueSerde(ActionGuard.class)));

        KStream<String, SpecificRecord> incidents = builder.stream(topics.incidents().name(),
                Consumed.with(Serdes.String(), records(topics, Incident.class)).withName(RunnerNames.INCIDENTS_SOURCE));
        KStream<String, RemediationOutcome> outcomes = builder.stream(topics.remediationOutcomes().name(),
                Consumed.with(Serdes.String(), topics.valueSerde(RemediationOutcome.class)).withName(RunnerNames.OUTCOMES_SOURCE));
        KStream<String, SpecificRecord> commands = builder.stream(topics.playbookCommands().name(),
                Consumed.with(Serdes.String(), records(topics, PlaybookCommand.class)).withName(RunnerNames.COMMANDS_SOURCE));
        Repartitioned<String, ApprovalDecision> decisionsByIncident = partitioned(
                Repartitioned.<String, ApprovalDecision>as(RunnerNames.DECISIONS_BY_INCIDENT)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.valueSerde(ApprovalDecision.class)), settings);
        KStream<String, SpecificRecord> decisions = builder.stream(topics.approvalDecisions().name(),
                        Consumed.with(Serdes.String(), topics.valueSerde(ApprovalDecision.class)).withName(RunnerNames.DECISIONS_SOURCE))
                .filter((id, decision) -> decision != null && decision.getApprovalId() != null, Named.as("runner-decisions-present"))
                .selectKey((id, decision) -> incidentOf(decision.getApprovalId()), Named.as("runner-decisions-key-by-incident"))
                .repartition(decisionsByIncident)
                .mapValues(decision -> (SpecificRecord) decision, Named.as("runner-decisions-as-records"));

        KStream<String, RunnerOutput> fromRuns = incidents
                .merge(outcomes.mapValues(outcome -> (SpecificRecord) outcome, Named.as("runner-outcomes-as-records")),
                        Named.as("runner-merge-outcomes"))
                .merge(decisions, Named.as("runner-merge-decisions"))
                .merge(commands, Named.as("runner-merge-commands"))
                .process(() -> new RunProcessor(settings), Named.as(RunnerNames.RUN_STEP), RunnerNames.RUNS);
        Map<String, KStream<String, RunnerOutput>> runOutputs = branch(fromRuns, "runner-run-");
        sinks(runOutputs, topics, "runner-run-");

        Repartitioned<String, RemediationRequest> proposalsByAction = partitioned(
                Repartitioned.<String, RemediationRequest>as(RunnerNames.PROPOSALS_BY_ACTION)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.valueSerde(RemediationRequest.class)), settings);
        KStream<String, SpecificRecord> proposals = runOutputs.get("runner-run-proposals")
                .mapValues(output -> ((RunnerOutput.StepProposed) output).request(), Named.as("runner-proposals-requests"))
                .repartition(proposalsByAction)
                .mapValues(request -> (SpecificRecord) request, Named.as("runner-proposals-as-records"));
        Repartitioned<String, RemediationOutcome> outcomesByAction = partitioned(
                Repartitioned.<String, RemediationOutcome>as(RunnerNames.OUTCOMES_BY_ACTION)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.valueSerde(RemediationOutcome.class)), settings);
        Predicate<String> changes = action -> settings.actions().apply(action).map(ActionSpec::changes).orElse(false);
        KStream<String, SpecificRecord> liveOutcomes = outcomes
                .filter((id, outcome) -> outcome != null && !outcome.getDryRun() && CHANGING_MODES.contains(outcome.getMode())
                        && changes.test(outcome.getAction()) && counted(outcome.getStatus()), Named.as("runner-live-outcomes"))
                .selectKey((id, outcome) -> outcome.getAction(), Named.as("runner-outcomes-key-by-action"))
                .repartition(outcomesByAction)
                .mapValues(outcome -> (SpecificRecord) outcome, Named.as("runner-live-outcomes-as-records"));
        KStream<String, RunnerOutput> fromGuards = proposals.merge(liveOutcomes, Named.as("runner-merge-guard-inputs"))
                .process(() -> new GuardProcessor(settings), Named.as(RunnerNames.GUARD_STEP), RunnerNames.GUARDS);
        sinks(branch(fromGuards, "runner-guard-"), topics, "runner-guard-");
        return builder.build();
    }

    /** The key a runner output is published under. */
    static String keyOf(RunnerOutput output) {
        if (output instanceof RunnerOutput.RunChanged changed) {
            return changed.run().getIncidentId();
        } else if (output instanceof RunnerOutput.ApprovalChanged approval) {
            return approval.approval().getApprovalId();
        } else if (output instanceof RunnerOutput.OutcomeRecorded outcome) {
            return outcome.outcome().getIncidentId();
        } else if (output instanceof RunnerOutput.StepRequested requested) {
            return requested.request().getIncidentId();
        }
        return ((RunnerOutput.StepProposed) output).request().getAction();
    }

    /** The incident an approval request (or its decision) is about: its id is the step's request id, which begins with it. */
    static String incidentOf(String approvalId) {
        int colon = approvalId.indexOf(':');
        return colon < 0 ? approvalId : approvalId.substring(0, colon);
    }

    private static boolean counted(OutcomeStatus status) {
        return status == OutcomeStatus.SUCCEEDED || status == OutcomeStatus.FAILED || status == OutcomeStatus.INTERRUPTED;
    }

    private static Map<String, KStream<String, RunnerOutput>> branch(KStream<String, RunnerOutput> outputs, String prefix) {
        return outputs.split(Named.as(prefix))
                .branch((key, output) -> output instanceof RunnerOutput.RunChanged, Branched.as("runs"))
                .branch((key, output) -> output instanceof RunnerOutput.ApprovalChanged, Branched.as("approvals"))
                .branch((key, output) -> output instanceof RunnerOutput.OutcomeRecorded, Branched.as("outcomes"))
                .branch((key, output) -> output instanceof RunnerOutput.StepRequested, Branched.as("requests"))
                .defaultBranch(Branched.as("proposals"));
    }

    private static void sinks(Map<String, KStream<String, RunnerOutput>> outputs, Topics topics, String prefix) {
        outputs.get(prefix + "runs").mapValues(o -> ((RunnerOutput.RunChanged) o).run(), Named.as(prefix + "runs-records"))
                .to(topics.playbookRuns().name(), Produced.with(Serdes.String(), topics.playbookRuns().valueSerde()).withName(prefix + "runs-sink"));
        outputs.get(prefix + "approvals").mapValues(o -> ((RunnerOutput.ApprovalChanged) o).approval(), Named.as(prefix + "approvals-records"))
                .to(topics.approvalRequests().name(), Produced.with(Serdes.String(), topics.approvalRequests().valueSerde())
                        .withName(prefix + "approvals-sink"));
        outputs.get(prefix + "outcomes").mapValues(o -> ((RunnerOutput.OutcomeRecorded) o).outcome(), Named.as(prefix + "outcomes-records"))
                .to(topics.remediationOutcomes().name(), Produced.with(Serdes.String(), topics.remediationOutcomes().valueSerde())
                        .withName(prefix + "outcomes-sink"));
        outputs.get(prefix + "requests").mapValues(o -> ((RunnerOutput.StepRequested) o).request(), Named.as(prefix + "requests-records"))
                .to((id, request, context) -> topics.names().actions(request.getAction()),
                        Produced.with(Serdes.String(), topics.valueSerde(RemediationRequest.class)).withName(prefix + "requests-sink"));
    }

    private static <V> Repartitioned<String, V> partitioned(Repartitioned<String, V> repartitioned, Settings settings) {
        return settings.partitions() == null ? repartitioned : repartitioned.withNumberOfPartitions(settings.partitions());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T extends SpecificRecord> Serde<SpecificRecord> records(Topics topics, Class<T> type) {
        return (Serde<SpecificRecord>) (Serde) topics.valueSerde(type);
    }

    /** Kafka Streams' own stores: RocksDB when the settings ask for persistent stores, in memory otherwise. */
    private static KeyValueBytesStoreSupplier store(Settings settings, String name) {
        return settings.persistentStores() ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }
}
