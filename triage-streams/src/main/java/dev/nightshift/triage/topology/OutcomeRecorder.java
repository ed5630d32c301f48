package dev.nightshift.triage.topology;

import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.triage.lifecycle.FingerprintState;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.TriageOutput;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Records a remediation outcome (re-keyed by fingerprint) on its incident: first-action time, automated actions. */
final class OutcomeRecorder extends ContextualProcessor<String, RemediationOutcome, String, SpecificRecord> {
    /** Its sinks are named outcome-incidents-sink etc. */
    static final String SINK_PREFIX = "outcome-";
    private final IncidentLifecycle lifecycle;
    private KeyValueStore<String, FingerprintState> incidents;

    OutcomeRecorder(IncidentLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        incidents = context.getStateStore(StoreNames.INCIDENTS);
    }

    @Override
    public void process(Record<String, RemediationOutcome> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        IncidentLifecycle.Result result = lifecycle.onOutcome(incidents.get(record.key()), record.value(), record.timestamp());
        if (result.changed()) {
            incidents.put(record.key(), result.state());
        }
        for (TriageOutput output : result.outputs()) {
            OutputSinks.forward(context(), SINK_PREFIX, output, record.timestamp());
        }
    }
}
