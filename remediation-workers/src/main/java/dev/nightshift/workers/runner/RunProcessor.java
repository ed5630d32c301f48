package dev.nightshift.workers.runner;

import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.PlaybookCommand;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.RunnerState;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Applies what arrives about an incident (a new version of it, a step's outcome, a person's decision
 * or command), keyed by incident id, to its runner state with {@link PlaybookRunner}, and forwards what
 * the runner publishes. A wall-clock punctuator gives every run in hand the passing of time, and
 * forgets the state of runs that ended longer ago than the retention.
 */
final class RunProcessor extends ContextualProcessor<String, SpecificRecord, String, RunnerOutput> {
    private static final Set<RunStatus> ENDED = Set.of(RunStatus.COMPLETED, RunStatus.STOPPED, RunStatus.ESCALATED, RunStatus.CANCELLED);
    private final RunnerTopology.Settings settings;
    private KeyValueStore<String, RunnerState> runs;
    private ReadOnlyKeyValueStore<String, ValueAndTimestamp<Ownership>> ownership;
    private ReadOnlyKeyValueStore<String, ValueAndTimestamp<AutomationControl>> controls;

    RunProcessor(RunnerTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, RunnerOutput> context) {
        super.init(context);
        runs = context.getStateStore(RunnerNames.RUNS);
        ownership = context.getStateStore(RunnerNames.OWNERSHIP);
        controls = context.getStateStore(RunnerNames.CONTROLS);
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        World world = world(context().currentSystemTimeMs());
        RunnerState state = runs.get(record.key());
        int runsBefore = state == null ? 0 : state.getRuns();
        PlaybookRunner runner = settings.runner();
        PlaybookRunner.Result result;
        if (record.value() instanceof Incident incident) {
            result = runner.onIncident(state, incident, world);
        } else if (record.value() instanceof RemediationOutcome outcome) {
            result = runner.onOutcome(state, outcome, world);
        } else if (record.value() instanceof ApprovalDecision decision) {
            result = runner.onDecision(state, decision, world);
        } else if (record.value() instanceof PlaybookCommand command) {
            result = runner.onCommand(state, command, world);
        } else {
            throw new IllegalArgumentException("the runner does not take " + record.value().getSchema().getFullName());
        }
        if (result.changed()) {
            runs.put(record.key(), result.state());
            if (result.state().getRuns() > runsBefore) {
                settings.metrics().runStarted(result.state().getRun().getPlaybook());
            }
        }
        forward(result.outputs(), record.timestamp());
    }

    /** Time passes for every run in hand; the state of runs ended longer ago than the retention is forgotten. */
    private void tick(long now) {
        World world = world(now);
        List<KeyValue<String, RunnerState>> updates = new ArrayList<>();
        List<String> forgotten = new ArrayList<>();
        List<RunnerOutput> outputs = new ArrayList<>();
        long horizon = now - settings.retention().toMillis();
        try (KeyValueIterator<String, RunnerState> it = runs.all()) {
            while (it.hasNext()) {
                KeyValue<String, RunnerState> entry = it.next();
                RunnerState state = entry.value;
                if (state.getRun() == null || ENDED.contains(state.getRun().getStatus())) {
                    long updated = state.getRun() != null ? state.getRun().getUpdatedAt().toEpochMilli()
                            : state.getIncident() != null ? state.getIncident().getUpdatedAt().toEpochMilli() : 0L;
                    boolean inFlight = state.getRun() != null && state.getRun().getSteps().stream().anyMatch(s -> s.getDeadline() != null);
                    if (updated < horizon && !inFlight) {
                        forgotten.add(entry.key);
                        continue;
                    }
                    if (!inFlight) {
                        continue;
                    }
                }
                PlaybookRunner.Result result = settings.runner().onTick(state, world);
                if (result.changed()) {
                    updates.add(KeyValue.pair(entry.key, result.state()));
                    outputs.addAll(result.outputs());
                }
            }
        }
        updates.forEach(u -> runs.put(u.key, u.value));
        forgotten.forEach(runs::delete);
        forward(outputs, now);
    }

    private World world(long now) {
        return new World(now, settings.playbooks(), settings.actions(), settings.dryRun(), ownership, controls);
    }

    private void forward(List<RunnerOutput> outputs, long timestamp) {
        settings.metrics().published(outputs);
        for (RunnerOutput output : outputs) {
            context().forward(new Record<>(RunnerTopology.keyOf(output), output, timestamp));
        }
    }
}
