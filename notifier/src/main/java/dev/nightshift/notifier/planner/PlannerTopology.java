package dev.nightshift.notifier.planner;

import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.PlannerEvent;
import dev.nightshift.schema.PlannerIncident;
import dev.nightshift.schema.PlannerIntake;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.Silence;
import dev.nightshift.schema.StormGroup;
import dev.nightshift.schema.StormThread;
import dev.nightshift.schema.ThreadMembership;
import dev.nightshift.topics.Topics;
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
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The notifier's planner: decides what to tell people, where and when, and writes it to {@code notifications.outbox}
 * keyed by Slack thread, never calling Slack, Jira or PagerDuty itself.
 *
 * <pre>
 *   incidents, playbook.runs, remediation.outcomes ─┬─> planner-intake-step ─rekey by family─> planner-group-step ─┬─> outbox (THREAD, THREAD_UPDATE)
 *   approvals.requests ─rekey by incident──────────┘   (planner-intake)                       (groups, threads,    │
 *                                                                                               memberships)       │
 *        outbox (replies, tickets, pages, incident channels) <── planner-incident-step <──rekey by incident────────┘
 *                                                          (planner-incidents, planner-timers)
 *   ownership, notifications.silences (global stores)
 * </pre>
 * The inputs keyed by incident id must have the same number of partitions, so that one incident's records meet in one
 * task; the outbox has that number too.
 */
public final class PlannerTopology {
    /** How often the intake and grouping steps look for closed incidents to forget. */
    static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(1);

    private PlannerTopology() {
    }

    /**
     * What the topology needs.
     *
     * @param pages      whether a team can be paged (its pager is set up)
     * @param partitions partitions of the repartition topics: those of {@code incidents}; null lets Streams choose
     */
    public record Settings(Topics topics, PlannerPolicy policy, Predicate<String> pages, Duration punctuateInterval, Duration retention,
                           Integer partitions, boolean persistentStores) {
    }

    public static Topology build(Settings settings) {
        return build(new StreamsBuilder(), settings);
    }

    public static Topology build(StreamsBuilder builder, Settings settings) {
        Topics topics = settings.topics();
        builder.globalTable(topics.ownership().name(), Consumed.with(Serdes.String(), topics.valueSerde(Ownership.class))
                        .withName(PlannerNames.OWNERSHIP + "-source"),
                Materialized.<String, Ownership, KeyValueStore<Bytes, byte[]>>as(PlannerNames.OWNERSHIP)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.valueSerde(Ownership.class)));
        builder.globalTable(topics.notificationsSilences().name(), Consumed.with(Serdes.String(), topics.valueSerde(Silence.class))
                        .withName(PlannerNames.SILENCES + "-source"),
                Materialized.<String, Silence, KeyValueStore<Bytes, byte[]>>as(PlannerNames.SILENCES)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.valueSerde(Silence.class)));
        addStore(builder, settings, PlannerNames.INTAKE, topics.valueSerde(PlannerIntake.class));
        addStore(builder, settings, PlannerNames.GROUPS, topics.valueSerde(StormGroup.class));
        addStore(builder, settings, PlannerNames.THREADS, topics.valueSerde(StormThread.class));
        addStore(builder, settings, PlannerNames.MEMBERSHIPS, topics.valueSerde(ThreadMembership.class));
        addStore(builder, settings, PlannerNames.INCIDENTS, topics.valueSerde(PlannerIncident.class));
        addStore(builder, settings, PlannerNames.TIMERS, Serdes.String());

        KStream<String, SpecificRecord> incidents = builder.stream(topics.incidents().name(),
                Consumed.with(Serdes.String(), records(topics, Incident.class)).withName(PlannerNames.INCIDENTS_SOURCE));
        KStream<String, SpecificRecord> runs = builder.stream(topics.playbookRuns().name(),
                Consumed.with(Serdes.String(), records(topics, PlaybookRun.class)).withName(PlannerNames.RUNS_SOURCE));
        KStream<String, SpecificRecord> outcomes = builder.stream(topics.remediationOutcomes().name(),
                Consumed.with(Serdes.String(), records(topics, RemediationOutcome.class)).withName(PlannerNames.OUTCOMES_SOURCE));
        KStream<String, SpecificRecord> approvals = builder.stream(topics.approvalRequests().name(),
                        Consumed.with(Serdes.String(), topics.valueSerde(ApprovalRequest.class)).withName(PlannerNames.APPROVALS_SOURCE))
                .filter((id, approval) -> approval != null && approval.getIncidentId() != null, Named.as("planner-approvals-present"))
                .selectKey((id, approval) -> approval.getIncidentId(), Named.as("planner-approvals-key-by-incident"))
                .repartition(partitioned(Repartitioned.<String, ApprovalRequest>as(PlannerNames.APPROVALS_BY_INCIDENT)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.valueSerde(ApprovalRequest.class)), settings))
                .mapValues(approval -> (SpecificRecord) approval, Named.as("planner-approvals-as-records"));

        Serde<PlannerEvent> events = topics.valueSerde(PlannerEvent.class);
        KStream<String, SpecificRecord> fromGroups = incidents
                .merge(runs, Named.as("planner-merge-runs"))
                .merge(outcomes, Named.as("planner-merge-outcomes"))
                .merge(approvals, Named.as("planner-merge-approvals"))
                .process(() -> new IntakeProcessor(settings), Named.as(PlannerNames.INTAKE_STEP), PlannerNames.INTAKE)
                .repartition(partitioned(Repartitioned.<String, PlannerEvent>as(PlannerNames.EVENTS_BY_FAMILY)
                        .withKeySerde(Serdes.String()).withValueSerde(events), settings))
                .process(() -> new GroupProcessor(settings), Named.as(PlannerNames.GROUP_STEP),
                        PlannerNames.GROUPS, PlannerNames.THREADS, PlannerNames.MEMBERSHIPS);
        Map<String, KStream<String, SpecificRecord>> grouped = fromGroups.split(Named.as("planner-group-"))
                .branch((key, value) -> value instanceof Notification, Branched.as("notifications"))
                .defaultBranch(Branched.as("events"));
        toOutbox(grouped.get("planner-group-notifications").mapValues(value -> (Notification) value, Named.as("planner-group-as-notifications")),
                topics, "planner-group-outbox");

        KStream<String, Notification> planned = grouped.get("planner-group-events")
                .mapValues(value -> (PlannerEvent) value, Named.as("planner-group-as-events"))
                .repartition(partitioned(Repartitioned.<String, PlannerEvent>as(PlannerNames.EVENTS_BY_INCIDENT)
                        .withKeySerde(Serdes.String()).withValueSerde(events), settings))
                .process(() -> new IncidentProcessor(settings), Named.as(PlannerNames.INCIDENT_STEP), PlannerNames.INCIDENTS, PlannerNames.TIMERS);
        toOutbox(planned, topics, "planner-incident-outbox");
        return builder.build();
    }

    /** The surroundings a processor's rules look up: the global ownership and silence stores, the pager and the policy. */
    static Surroundings surroundings(ProcessingContext context, Settings settings) {
        ReadOnlyKeyValueStore<String, ValueAndTimestamp<Ownership>> owners = context.getStateStore(PlannerNames.OWNERSHIP);
        ReadOnlyKeyValueStore<String, ValueAndTimestamp<Silence>> silences = context.getStateStore(PlannerNames.SILENCES);
        return new Surroundings(settings.policy(), service -> ValueAndTimestamp.getValueOrNull(owners.get(service)),
                key -> ValueAndTimestamp.getValueOrNull(silences.get(key)), settings.pages());
    }

    private static void toOutbox(KStream<String, Notification> notifications, Topics topics, String name) {
        notifications.to(topics.notificationsOutbox().name(), Produced.with(Serdes.String(), topics.notificationsOutbox().valueSerde())
                .withName(name + "-sink"));
    }

    private static <V> void addStore(StreamsBuilder builder, Settings settings, String name, Serde<V> values) {
        KeyValueBytesStoreSupplier supplier = settings.persistentStores() ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
        builder.addStateStore(Stores.keyValueStoreBuilder(supplier, Serdes.String(), values));
    }

    private static <V> Repartitioned<String, V> partitioned(Repartitioned<String, V> repartitioned, Settings settings) {
        return settings.partitions() == null ? repartitioned : repartitioned.withNumberOfPartitions(settings.partitions());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T extends SpecificRecord> Serde<SpecificRecord> records(Topics topics, Class<T> type) {
        return (Serde<SpecificRecord>) (Serde) topics.valueSerde(type);
    }
}
