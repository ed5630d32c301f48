package dev.nightshift.triage.topology;

import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.triage.lifecycle.FingerprintState;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.TriageOutput;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Records a person's approval decision (re-keyed by fingerprint) as the acknowledgement of its incident. */
final class ApprovalRecorder extends ContextualProcessor<String, ApprovalDecision, String, SpecificRecord> {
    /** Its sinks are named approval-incidents-sink etc. */
    static final String SINK_PREFIX = "approval-";
    private final IncidentLifecycle lifecycle;
    private KeyValueStore<String, FingerprintState> incidents;

    ApprovalRecorder(IncidentLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        incidents = context.getStateStore(StoreNames.INCIDENTS);
    }

    @Override
    public void process(Record<String, ApprovalDecision> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        IncidentLifecycle.Result result = lifecycle.onApproval(incidents.get(record.key()), record.value(), record.timestamp());
        if (result.changed()) {
            incidents.put(record.key(), result.state());
        }
        for (TriageOutput output : result.outputs()) {
            OutputSinks.forward(context(), SINK_PREFIX, output, record.timestamp());
        }
    }
}
