package dev.nightshift.triage.analytics;

import dev.nightshift.schema.IncidentHistory;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/**
 * The analytics steps of the triage app: every record about an incident (its changes on incidents, its outcome,
 * its playbook runs, its steps' outcomes, people's responses, the notifications sent) is gathered, by incident id,
 * into the incident's history; the figures, timelines and post-mortem drafts are read from those histories.
 * <pre>
 *   incidents, incident.outcomes, playbook.runs, notifications.deliveries ─┐
 *   remediation.outcomes, incident.responses (the streams triage reads) ───┴─> analytics-* ─> analytics-incident-history
 * </pre>
 * All inputs are keyed by incident id, so they need the same partition count for an incident's records to meet
 * in one task.
 */
public final class AnalyticsTopology {
    /** Incident id -> {@link IncidentHistory}. */
    public static final String HISTORY_STORE = "analytics-incident-history";
    public static final String INCIDENTS_SOURCE = "analytics-incidents-source";
    public static final String INCIDENT_OUTCOMES_SOURCE = "analytics-incident-outcomes-source";
    public static final String RUNS_SOURCE = "analytics-runs-source";
    public static final String DELIVERIES_SOURCE = "analytics-deliveries-source";
    public static final String RECORD_INCIDENTS = "analytics-incidents";
    public static final String RECORD_INCIDENT_OUTCOMES = "analytics-incident-outcomes";
    public static final String RECORD_RUNS = "analytics-runs";
    public static final String RECORD_DELIVERIES = "analytics-deliveries";
    public static final String RECORD_STEPS = "analytics-steps";
    public static final String RECORD_RESPONSES = "analytics-responses";

    private AnalyticsTopology() {
    }

    /**
     * Adds the analytics steps.
     *
     * @param stepOutcomes the stream of remediation.outcomes the triage steps read (a topic has one source per topology)
     * @param responses    the stream of incident.responses the triage steps read
     * @param retention    how long a history is kept, from its incident's opening
     */
    public static void attach(StreamsBuilder builder, Topics topics, KStream<String, RemediationOutcome> stepOutcomes,
                              KStream<String, IncidentResponse> responses, Duration retention, boolean persistentStores) {
        KeyValueBytesStoreSupplier supplier = persistentStores ? Stores.persistentKeyValueStore(HISTORY_STORE)
                : Stores.inMemoryKeyValueStore(HISTORY_STORE);
        builder.addStateStore(Stores.keyValueStoreBuilder(supplier, Serdes.String(), topics.valueSerde(IncidentHistory.class)));

        record(stream(builder, topics.incidents(), INCIDENTS_SOURCE), RECORD_INCIDENTS, retention, true);
        record(stream(builder, topics.incidentOutcomes(), INCIDENT_OUTCOMES_SOURCE), RECORD_INCIDENT_OUTCOMES, retention, false);
        record(stream(builder, topics.playbookRuns(), RUNS_SOURCE), RECORD_RUNS, retention, false);
        record(stream(builder, topics.notificationsDeliveries(), DELIVERIES_SOURCE), RECORD_DELIVERIES, retention, false);
        record(stepOutcomes, RECORD_STEPS, retention, false);
        record(responses, RECORD_RESPONSES, retention, false);
    }

    private static <V extends SpecificRecord> KStream<String, V> stream(StreamsBuilder builder, Topic<String, V> topic, String name) {
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name));
    }

    private static <V extends SpecificRecord> void record(KStream<String, V> stream, String name, Duration retention, boolean purges) {
        stream.process(() -> new IncidentHistoryRecorder<V>(retention, purges), Named.as(name), HISTORY_STORE);
    }
}
