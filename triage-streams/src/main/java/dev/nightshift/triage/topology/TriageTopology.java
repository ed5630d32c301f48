package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.FingerprintState;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.analytics.AnalyticsTopology;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.IncidentIds;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.ownership.OwnerResolver;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/**
 * The triage topology. Every stateful step is keyed by fingerprint, so the path from
 * {@code alerts.raw} to the team, incident and outcome topics is one sub-topology with no
 * repartition hop; only remediation outcomes (keyed by incident id) are re-keyed to the fingerprint
 * the incident id carries, to reach the same state; so are approval decisions and people's responses.
 *
 * <pre>
 *   alerts.raw ──> triage-alerts ──┬─> incidents, team.&lt;team&gt;.alerts, incident.outcomes
 *   ownership (global store) ──────┘    (each output forwarded straight to the named sink of its topic)
 *   remediation.outcomes ─rekey by fingerprint─> triage-outcomes ──> incidents (first action)
 *   approvals.decisions ─rekey by fingerprint─> triage-approvals ──> incidents (acknowledged)
 *   incident.responses ─rekey by fingerprint─> triage-responses ──> incidents (acknowledged)
 *   the records about each incident ──> its analytics history (see AnalyticsTopology)
 * </pre>
 * Every record in and out, the stores' and the repartition topics' included, is Avro in the Confluent
 * wire format through the registry serde, so each stored value names its writer schema.
 */
public final class TriageTopology {
    private TriageTopology() {
    }

    /**
     * What the topology needs.
     *
     * @param punctuateBatch    fingerprints one punctuation looks at (it goes on from there the next time)
     * @param outcomePartitions partitions of the outcome, approval and response repartition topics: those of alerts.raw, so
     *                          an outcome lands in the task that holds its fingerprint; null lets Streams choose
     *                          (fine when both input topics have the same count, and in tests)
     * @param analyticsRetention how long an incident's analytics history is kept, from its opening
     */
    public record Settings(Topics topics, ClassificationRules rules, IncidentLifecycle lifecycle, OwnerResolver owners,
                           LiveOwnership liveOwnership, TeamTopics teamTopics, Duration punctuateInterval,
                           int punctuateBatch, Integer outcomePartitions, boolean persistentStores,
                           Duration analyticsRetention) {
    }

    /** Kafka Streams' own stores: RocksDB when the settings ask for persistent stores, in memory otherwise. */
    private static KeyValueBytesStoreSupplier store(Settings settings, String name) {
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
                Serdes.String(), topics.valueSerde(FingerprintState.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(store(settings, StoreNames.INCIDENT_ARCHIVE),
                Serdes.String(), topics.valueSerde(Incident.class)));

        KStream<String, SpecificRecord> fromAlerts = builder
                .stream(alertsRaw.name(), Consumed.with(alertsRaw.keySerde(), alertsRaw.valueSerde()).withName(StoreNames.ALERTS_SOURCE))
                .process(() -> new AlertTriageProcessor(settings), Named.as(StoreNames.TRIAGE_ALERTS),
                        StoreNames.INCIDENTS, StoreNames.INCIDENT_ARCHIVE);
        OutputSinks.attach(fromAlerts, topics, "");

        Repartitioned<String, RemediationOutcome> byFingerprint = Repartitioned
                .<String, RemediationOutcome>as(StoreNames.OUTCOMES_BY_FINGERPRINT)
                .withKeySerde(Serdes.String())
                .withValueSerde(outcomes.valueSerde());
        if (settings.outcomePartitions() != null) {
            byFingerprint = byFingerprint.withNumberOfPartitions(settings.outcomePartitions());
        }
        KStream<String, RemediationOutcome> stepOutcomes = builder
                .stream(outcomes.name(), Consumed.with(outcomes.keySerde(), outcomes.valueSerde()).withName(StoreNames.OUTCOMES_SOURCE));
        KStream<String, SpecificRecord> fromOutcomes = stepOutcomes
                .filter((incidentId, outcome) -> outcome != null && outcome.getIncidentId() != null, Named.as("outcomes-present"))
                .selectKey((incidentId, outcome) -> IncidentIds.fingerprintOf(outcome.getIncidentId()), Named.as("outcomes-key-by-fingerprint"))
                .repartition(byFingerprint)
                .process(() -> new IncidentEventRecorder<RemediationOutcome>(settings.lifecycle()::onOutcome, IncidentEventRecorder.OUTCOME_SINK_PREFIX), Named.as(StoreNames.TRIAGE_OUTCOMES),
                        StoreNames.INCIDENTS);
        OutputSinks.attach(fromOutcomes, topics, IncidentEventRecorder.OUTCOME_SINK_PREFIX);

        Topic<String, ApprovalDecision> approvals = topics.approvalDecisions();
        Repartitioned<String, ApprovalDecision> approvalsByFingerprint = Repartitioned
                .<String, ApprovalDecision>as(StoreNames.APPROVALS_BY_FINGERPRINT)
                .withKeySerde(Serdes.String())
                .withValueSerde(topics.approvalDecisions().valueSerde());
        if (settings.outcomePartitions() != null) {
            approvalsByFingerprint = approvalsByFingerprint.withNumberOfPartitions(settings.outcomePartitions());
        }
        KStream<String, SpecificRecord> fromApprovals = builder
                .stream(approvals.name(), Consumed.with(approvals.keySerde(), approvals.valueSerde()).withName(StoreNames.APPROVALS_SOURCE))
                .filter((approvalId, decision) -> decision != null && decision.getIncidentId() != null, Named.as("approvals-present"))
                .selectKey((approvalId, decision) -> IncidentIds.fingerprintOf(decision.getIncidentId()),
                        Named.as("approvals-key-by-fingerprint"))
                .repartition(approvalsByFingerprint)
                .process(() -> new IncidentEventRecorder<ApprovalDecision>(settings.lifecycle()::onApproval, IncidentEventRecorder.APPROVAL_SINK_PREFIX), Named.as(StoreNames.TRIAGE_APPROVALS),
                        StoreNames.INCIDENTS);
        OutputSinks.attach(fromApprovals, topics, IncidentEventRecorder.APPROVAL_SINK_PREFIX);

        Topic<String, IncidentResponse> responses = topics.incidentResponses();
        Repartitioned<String, IncidentResponse> responsesByFingerprint = Repartitioned
                .<String, IncidentResponse>as(StoreNames.RESPONSES_BY_FINGERPRINT)
                .withKeySerde(Serdes.String())
                .withValueSerde(responses.valueSerde());
        if (settings.outcomePartitions() != null) {
            responsesByFingerprint = responsesByFingerprint.withNumberOfPartitions(settings.outcomePartitions());
        }
        KStream<String, IncidentResponse> responseRecords = builder
                .stream(responses.name(), Consumed.with(responses.keySerde(), responses.valueSerde()).withName(StoreNames.RESPONSES_SOURCE));
        KStream<String, SpecificRecord> fromResponses = responseRecords
                .filter((incidentId, response) -> response != null && response.getIncidentId() != null, Named.as("responses-present"))
                .selectKey((incidentId, response) -> IncidentIds.fingerprintOf(response.getIncidentId()),
                        Named.as("responses-key-by-fingerprint"))
                .repartition(responsesByFingerprint)
                .process(() -> new IncidentEventRecorder<IncidentResponse>(settings.lifecycle()::onResponse, IncidentEventRecorder.RESPONSE_SINK_PREFIX),
                        Named.as(StoreNames.TRIAGE_RESPONSES), StoreNames.INCIDENTS);
        OutputSinks.attach(fromResponses, topics, IncidentEventRecorder.RESPONSE_SINK_PREFIX);

        AnalyticsTopology.attach(builder, topics, stepOutcomes, responseRecords, settings.analyticsRetention(), settings.persistentStores());

        Topology topology = builder.build();
        LiveOwnership live = settings.liveOwnership();
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.OWNERSHIP),
                        Serdes.String(), ownership.valueSerde()).withLoggingDisabled(),
                StoreNames.OWNERSHIP_SOURCE, ownership.keySerde().deserializer(), new OwnershipDeserializer(ownership.valueSerde().deserializer(), live),
                ownership.name(), StoreNames.OWNERSHIP_UPDATER, () -> new OwnershipStoreUpdater(live));
        return topology;
    }
}
