package dev.nightshift.triage.testing;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.registry.InMemorySchemaRegistry;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.kafka.streams.DeadLetterDeserializationHandler;
import dev.nightshift.kafka.streams.DeadLetterProcessingHandler;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.triage.ownership.OwnerResolver;
import dev.nightshift.triage.service.TriageRuntime;
import dev.nightshift.triage.topology.LiveOwnership;
import dev.nightshift.triage.topology.TeamTopics;
import dev.nightshift.triage.topology.TriageTopology;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/** The triage topology in a TopologyTestDriver, with the project's real serdes, and typed topics around it. */
public final class TriageDriver implements AutoCloseable {
    public static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private final Topics topics;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Alert> alerts;
    private final TestInputTopic<String, Ownership> ownership;
    private final TestInputTopic<String, RemediationOutcome> remediationOutcomes;
    private final TestInputTopic<String, ApprovalDecision> approvalDecisions;
    private final TestInputTopic<String, IncidentResponse> incidentResponses;
    private final TestInputTopic<byte[], byte[]> rawAlerts;
    private final TestOutputTopic<String, Incident> incidents;
    private final TestOutputTopic<String, IncidentOutcome> incidentOutcomes;

    public TriageDriver(LifecycleSettings lifecycle, ClassificationRules rules, String defaultTeam) {
        this(lifecycle, rules, defaultTeam, 1000);
    }

    public TriageDriver(LifecycleSettings lifecycle, ClassificationRules rules, String defaultTeam,
                        int punctuateBatch) {
        this.topics = new Topics(TopicNames.defaults(), dev.nightshift.serde.RegistryConfig.of(InMemorySchemaRegistry.shared().url()));
        Topology topology = TriageTopology.build(settings(topics, lifecycle, rules, defaultTeam, punctuateBatch));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "triage-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // At-least-once here: the driver has no real transactions, and under exactly-once its mock producer
        // drops the dead-letter records a handler returns before a record is processed. Exactly-once
        // (dead-lettering included) is checked on the real broker by the integration tests.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        props.putAll(TriageRuntime.deadLetterRouting(topics.names()));
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("triage-ttd").toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        driver = new TopologyTestDriver(topology, props, T0);
        alerts = input(topics.alertsRaw());
        ownership = input(topics.ownership());
        remediationOutcomes = input(topics.remediationOutcomes());
        approvalDecisions = input(topics.approvalDecisions());
        incidentResponses = input(topics.incidentResponses());
        rawAlerts = driver.createInputTopic(topics.alertsRaw().name(), new ByteArraySerializer(), new ByteArraySerializer());
        incidents = output(topics.incidents());
        incidentOutcomes = output(topics.incidentOutcomes());
    }

    public static TriageTopology.Settings settings(Topics topics, LifecycleSettings lifecycle, ClassificationRules rules,
                                                  String defaultTeam) {
        return settings(topics, lifecycle, rules, defaultTeam, 1000);
    }

    public static TriageTopology.Settings settings(Topics topics, LifecycleSettings lifecycle, ClassificationRules rules,
                                                  String defaultTeam, int punctuateBatch) {
        return new TriageTopology.Settings(topics, rules, new IncidentLifecycle(lifecycle),
                new OwnerResolver(defaultTeam), new LiveOwnership(), TeamTopics.ALL_EXIST, Duration.ofSeconds(10), punctuateBatch,
                null, false, new dev.nightshift.triage.service.TriageConfig().getAnalyticsRetention()); // in-memory stores, as in production
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    public Topics topics() {
        return topics;
    }

    /** An alert that happened at {@code at} (its occurredAt) and reached alerts.raw then. */
    public void send(Alert alert, Instant at) {
        send(alert.getFingerprint(), alert, at);
    }

    public void send(String key, Alert alert, Instant at) {
        sendLate(key, alert, at, at);
    }

    /** An alert that happened at {@code occurredAt} and reached alerts.raw at {@code appendedAt}. */
    public void sendLate(String key, Alert alert, Instant occurredAt, Instant appendedAt) {
        alert.setOccurredAt(occurredAt);
        alerts.pipeInput(key, alert, appendedAt);
    }

    public void sendBytes(byte[] key, byte[] value, Instant at) {
        rawAlerts.pipeInput(new TestRecord<>(key, value, at));
    }

    public void ownership(Ownership entry) {
        ownership.pipeInput(entry.getService(), entry);
    }

    public void removeOwnership(String service) {
        ownership.pipeInput(service, null);
    }

    public void outcome(RemediationOutcome outcome, Instant at) {
        remediationOutcomes.pipeInput(outcome.getIncidentId(), outcome, at);
    }

    public void approval(ApprovalDecision decision, Instant at) {
        approvalDecisions.pipeInput(decision.getApprovalId(), decision, at);
    }

    public void response(IncidentResponse response, Instant at) {
        incidentResponses.pipeInput(response.getIncidentId(), response, at);
    }

    public void playbookRun(dev.nightshift.schema.PlaybookRun run) {
        input(topics.playbookRuns()).pipeInput(run.getIncidentId(), run, run.getUpdatedAt());
    }

    public void delivery(dev.nightshift.schema.Delivery delivery) {
        input(topics.notificationsDeliveries()).pipeInput(delivery.getIncidentId(), delivery, delivery.getDeliveredAt());
    }

    /** An outcome on incident.outcomes as if another triage task had published it, arriving at {@code at}. */
    public void incidentOutcome(IncidentOutcome outcome, Instant at) {
        input(topics.incidentOutcomes()).pipeInput(outcome.getIncidentId(), outcome, at);
    }

    /** The analytics histories, by incident id. */
    public java.util.Map<String, dev.nightshift.schema.IncidentHistory> histories() {
        java.util.Map<String, dev.nightshift.schema.IncidentHistory> all = new java.util.TreeMap<>();
        org.apache.kafka.streams.state.KeyValueStore<String, dev.nightshift.schema.IncidentHistory> store =
                driver.getKeyValueStore(dev.nightshift.triage.analytics.AnalyticsTopology.HISTORY_STORE);
        try (var it = store.all()) {
            it.forEachRemaining(entry -> all.put(entry.key, entry.value));
        }
        return all;
    }

    public void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    public List<TestRecord<String, Incident>> incidents() {
        return incidents.readRecordsToList();
    }

    public List<TestRecord<String, IncidentOutcome>> incidentOutcomes() {
        return incidentOutcomes.readRecordsToList();
    }

    public List<TestRecord<String, TriagedAlert>> teamAlerts(String team) {
        return output(topics.teamAlerts(team)).readRecordsToList();
    }

    public List<TestRecord<byte[], byte[]>> deadLetters(String topic) {
        return driver.createOutputTopic(TopicNames.deadLetter(topic), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.close();
    }
}
