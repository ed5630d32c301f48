package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.IncidentIds;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.TriageOutput;
import dev.nightshift.triage.ownership.OwnerResolver;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/**
 * The triage topology. Every stateful step is keyed by fingerprint, so the path from
 * {@code alerts.raw} to the team, action, incident and outcome topics is one sub-topology with no
 * repartition hop; only remediation outcomes (keyed by incident id) are re-keyed to the fingerprint
 * the incident id carries, to reach the same state.
 *
 * <pre>
 *   alerts.raw ──> triage-alerts ──┐                    ┌─> incidents
 *   remediation.outcomes ─rekey─> triage-outcomes ─┴─ outputs ─┼─> team.&lt;team&gt;.alerts
 *   ownership (global store) ──> read by triage-alerts            ├─> actions.&lt;action&gt;
 *                                                                  └─> incident.outcomes
 * </pre>
 */
public final class TriageTopology {
    private TriageTopology() {
    }

    /**
     * What the topology needs.
     *
     * @param outcomePartitions partitions of the outcome repartition topic: those of alerts.raw, so an
     *                          outcome lands in the task that holds its fingerprint; null lets Streams choose
     *                          (fine when both input topics have the same count, and in tests)
     */
    public record Settings(Topics topics, ClassificationRules rules, IncidentLifecycle lifecycle, OwnerResolver owners,
                           LiveOwnership liveOwnership, TeamTopics teamTopics, Duration punctuateInterval,
                           Integer outcomePartitions, boolean persistentStores) {
    }

    private static org.apache.kafka.streams.state.KeyValueBytesStoreSupplier store(Settings settings, String name) {
        return settings.persistentStores() ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }

    public static Topology build(Settings settings) {
        return build(new StreamsBuilder(), settings);
    }

    /** Adds the triage steps to {@code builder} and returns the finished topology. */
    public static Topology build(StreamsBuilder builder, Settings settings) {
        Topics topics = settings.topics();
        Topic<String, Alert> alertsRaw = topics.alertsRaw();
        Topic<String, RemediationOutcome> outcomes = topics.remediationOutcomes();
        Topic<String, Ownership> ownership = topics.ownership();

        builder.addStateStore(Stores.keyValueStoreBuilder(store(settings, StoreNames.INCIDENTS),
                Serdes.String(), new FingerprintStateSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(store(settings, StoreNames.INCIDENT_ARCHIVE),
                Serdes.String(), new AvroBinarySerde<>(Incident.class)));

        KStream<String, TriageOutput> fromAlerts = builder
                .stream(alertsRaw.name(), Consumed.with(alertsRaw.keySerde(), alertsRaw.valueSerde()).withName(StoreNames.ALERTS_SOURCE))
                .process(() -> new AlertTriageProcessor(settings), Named.as(StoreNames.TRIAGE_ALERTS),
                        StoreNames.INCIDENTS, StoreNames.INCIDENT_ARCHIVE);

        Repartitioned<String, RemediationOutcome> byFingerprint = Repartitioned
                .<String, RemediationOutcome>as(StoreNames.OUTCOMES_BY_FINGERPRINT)
                .withKeySerde(Serdes.String())
                .withValueSerde(new AvroBinarySerde<>(RemediationOutcome.class));
        if (settings.outcomePartitions() != null) {
            byFingerprint = byFingerprint.withNumberOfPartitions(settings.outcomePartitions());
        }
        KStream<String, TriageOutput> fromOutcomes = builder
                .stream(outcomes.name(), Consumed.with(outcomes.keySerde(), outcomes.valueSerde()).withName(StoreNames.OUTCOMES_SOURCE))
                .filter((incidentId, outcome) -> outcome != null && outcome.getIncidentId() != null, Named.as("outcomes-present"))
                .selectKey((incidentId, outcome) -> IncidentIds.fingerprintOf(outcome.getIncidentId()), Named.as("outcomes-key-by-fingerprint"))
                .repartition(byFingerprint)
                .process(() -> new OutcomeRecorder(settings.lifecycle()), Named.as(StoreNames.TRIAGE_OUTCOMES),
                        StoreNames.INCIDENTS);

        fromAlerts.merge(fromOutcomes, Named.as("triage-outputs"))
                .split(Named.as("publish-"))
                .branch((id, out) -> out instanceof TriageOutput.IncidentChanged, Branched.withConsumer(s -> s
                        .mapValues(out -> ((TriageOutput.IncidentChanged) out).incident(), Named.as("incident-values"))
                        .to(topics.incidents().name(), Produced.with(Serdes.String(), topics.valueSerde(Incident.class))
                                .withName("incidents-sink")), "incidents"))
                .branch((id, out) -> out instanceof TriageOutput.Routed, Branched.withConsumer(s -> s
                        .mapValues(out -> ((TriageOutput.Routed) out).alert(), Named.as("team-alert-values"))
                        .to((id, alert, context) -> topics.names().teamAlerts(alert.getOwner().getTeam()),
                                Produced.with(Serdes.String(), topics.valueSerde(TriagedAlert.class)).withName("team-alerts-sink")),
                        "team-alerts"))
                .branch((id, out) -> out instanceof TriageOutput.ActionRequested, Branched.withConsumer(s -> s
                        .mapValues(out -> ((TriageOutput.ActionRequested) out).request(), Named.as("action-request-values"))
                        .to((id, request, context) -> topics.names().actions(request.getAction()),
                                Produced.with(Serdes.String(), topics.valueSerde(RemediationRequest.class)).withName("actions-sink")),
                        "actions"))
                .branch((id, out) -> out instanceof TriageOutput.Closed, Branched.withConsumer(s -> s
                        .mapValues(out -> ((TriageOutput.Closed) out).outcome(), Named.as("incident-outcome-values"))
                        .to(topics.incidentOutcomes().name(), Produced.with(Serdes.String(), topics.valueSerde(IncidentOutcome.class))
                                .withName("incident-outcomes-sink")), "incident-outcomes"))
                .noDefaultBranch();

        Topology topology = builder.build();
        LiveOwnership live = settings.liveOwnership();
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.OWNERSHIP),
                        Serdes.String(), ownership.valueSerde()).withLoggingDisabled(),
                StoreNames.OWNERSHIP_SOURCE, ownership.keySerde().deserializer(), ownership.valueSerde().deserializer(),
                ownership.name(), StoreNames.OWNERSHIP_UPDATER, () -> new OwnershipStoreUpdater(live));
        return topology;
    }
}
