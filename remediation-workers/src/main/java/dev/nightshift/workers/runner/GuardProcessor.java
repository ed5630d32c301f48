package dev.nightshift.workers.runner;

import dev.nightshift.commands.Controls;
import dev.nightshift.schema.ActionGuard;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.Optional;

/**
 * The guard of each action, keyed by action: lets a proposed live change through to the workers or
 * refuses it ({@link Guardrails}), and counts live changes' outcomes for the circuit breaker.
 */
final class GuardProcessor extends ContextualProcessor<String, SpecificRecord, String, RunnerOutput> {
    private final RunnerTopology.Settings settings;
    private KeyValueStore<String, ActionGuard> guards;
    private ReadOnlyKeyValueStore<String, ValueAndTimestamp<AutomationControl>> controls;

    GuardProcessor(RunnerTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, RunnerOutput> context) {
        super.init(context);
        guards = context.getStateStore(RunnerNames.GUARDS);
        controls = context.getStateStore(RunnerNames.CONTROLS);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        String action = record.key();
        Optional<AutomationControl> control = Optional.ofNullable(controls.get(Controls.actionOf(action))).map(ValueAndTimestamp::value);
        long now = context().currentSystemTimeMs();
        Guardrails.Result result;
        if (record.value() instanceof RemediationRequest request) {
            result = settings.guardrails().onProposal(guards.get(action), request, control, now);
        } else if (record.value() instanceof RemediationOutcome outcome) {
            result = settings.guardrails().onOutcome(guards.get(action), outcome, control, now);
        } else {
            throw new IllegalArgumentException("the guard does not take " + record.value().getSchema().getFullName());
        }
        guards.put(action, result.state());
        settings.metrics().guard(result.state(), settings.guardrails().open(result.state(), control));
        settings.metrics().published(result.outputs());
        for (RunnerOutput output : result.outputs()) {
            context().forward(new Record<>(RunnerTopology.keyOf(output), output, record.timestamp()));
        }
    }
}
