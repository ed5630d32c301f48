package dev.nightshift.triage.topology;

import dev.nightshift.schema.FingerprintState;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.TriageOutput;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies an event about an incident that arrives re-keyed by fingerprint (a remediation outcome: its
 * first-action time and automated actions; a person's approval decision or acknowledgement: its
 * acknowledgement) to the incident's state, and forwards what changed to the sinks named with its prefix.
 */
final class IncidentEventRecorder<V> extends ContextualProcessor<String, V, String, SpecificRecord> {
    /** Sinks of the outcome recorder: outcome-incidents-sink etc. */
    static final String OUTCOME_SINK_PREFIX = "outcome-";
    /** Sinks of the approval recorder: approval-incidents-sink etc. */
    static final String APPROVAL_SINK_PREFIX = "approval-";
    /** Sinks of the response recorder: response-incidents-sink etc. */
    static final String RESPONSE_SINK_PREFIX = "response-";

    /** The lifecycle rule for one kind of event. */
    @FunctionalInterface
    interface Transition<V> {
        IncidentLifecycle.Result apply(FingerprintState state, V event, long timestamp);
    }

    private final Transition<V> transition;
    private final String sinkPrefix;
    private KeyValueStore<String, FingerprintState> incidents;

    IncidentEventRecorder(Transition<V> transition, String sinkPrefix) {
        this.transition = transition;
        this.sinkPrefix = sinkPrefix;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        incidents = context.getStateStore(StoreNames.INCIDENTS);
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        IncidentLifecycle.Result result = transition.apply(incidents.get(record.key()), record.value(), record.timestamp());
        if (result.changed()) {
            incidents.put(record.key(), result.state());
        }
        for (TriageOutput output : result.outputs()) {
            OutputSinks.forward(context(), sinkPrefix, output, record.timestamp());
        }
    }
}
