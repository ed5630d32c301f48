package dev.nightshift.notifier.planner;

import dev.nightshift.schema.PlannerEvent;
import dev.nightshift.schema.PlannerIntake;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands what comes in about an incident (keyed by incident id) to {@link IncidentIntake} and forwards the events it
 * hands on, keyed by the incident's family for the grouping step. Now and then forgets the incidents closed longer
 * ago than the retention.
 */
final class IntakeProcessor extends ContextualProcessor<String, SpecificRecord, String, PlannerEvent> {
    private final PlannerTopology.Settings settings;
    private KeyValueStore<String, PlannerIntake> intakes;
    private IncidentIntake intake;

    IntakeProcessor(PlannerTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, PlannerEvent> context) {
        super.init(context);
        intakes = context.getStateStore(PlannerNames.INTAKE);
        intake = new IncidentIntake(PlannerTopology.surroundings(context, settings));
        context.schedule(PlannerTopology.CLEANUP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::forgetClosed);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        IncidentIntake.Result result = intake.onRecord(intakes.get(record.key()), record.value(), context().currentSystemTimeMs());
        if (result.changed()) {
            intakes.put(record.key(), result.state());
        }
        for (PlannerEvent event : result.events()) {
            context().forward(new Record<>(event.getFamily(), event, record.timestamp()));
        }
    }

    private void forgetClosed(long now) {
        List<String> forgotten = new ArrayList<>();
        try (KeyValueIterator<String, PlannerIntake> it = intakes.all()) {
            while (it.hasNext()) {
                KeyValue<String, PlannerIntake> entry = it.next();
                if (IncidentIntake.forgettable(entry.value, now, settings.retention().toMillis())) {
                    forgotten.add(entry.key);
                }
            }
        }
        forgotten.forEach(intakes::delete);
    }
}
