package dev.nightshift.notifier.planner;

import dev.nightshift.schema.Notification;
import dev.nightshift.schema.PlannerEvent;
import dev.nightshift.schema.PlannerIncident;
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
 * The incident step (keyed by incident id): applies each event, now with its thread, to the incident's state with
 * {@link IncidentPlanner} and writes what it decides to the outbox, keyed by the thread. Keeps an index of when each
 * incident next needs the clock; a wall-clock punctuator takes the entries that are due: an acknowledgement deadline
 * that passed, or a closed incident whose retention ended (forgotten).
 */
final class IncidentProcessor extends ContextualProcessor<String, PlannerEvent, String, Notification> {
    private final PlannerTopology.Settings settings;
    private KeyValueStore<String, PlannerIncident> incidents;
    private KeyValueStore<String, String> timers;
    private IncidentPlanner planner;

    IncidentProcessor(PlannerTopology.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Notification> context) {
        super.init(context);
        incidents = context.getStateStore(PlannerNames.INCIDENTS);
        timers = context.getStateStore(PlannerNames.TIMERS);
        planner = new IncidentPlanner(PlannerTopology.surroundings(context, settings));
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, PlannerEvent> record) {
        if (record.key() == null || record.value() == null || record.value().getThreadKey() == null) {
            return;
        }
        PlannerIncident before = incidents.get(record.key());
        IncidentPlanner.Result result = planner.onEvent(before, record.value(), context().currentSystemTimeMs());
        if (result.changed()) {
            save(record.key(), before, result.state());
        }
        forward(result.notifications(), record.timestamp());
    }

    private void tick(long now) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = timers.range(timerKey(0, ""), timerKey(now + 1, ""))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> timer : due) {
            timers.delete(timer.key);
            String incidentId = timer.value;
            PlannerIncident state = incidents.get(incidentId);
            Long next = IncidentPlanner.nextDue(state, settings.retention());
            if (next == null) {
                continue;
            }
            if (next > now) {
                timers.put(timerKey(next, incidentId), incidentId);
            } else if (state.getAcknowledgeBy() == null) {
                incidents.delete(incidentId);
            } else {
                IncidentPlanner.Result result = planner.onTime(state, now);
                save(incidentId, null, result.state());
                forward(result.notifications(), now);
            }
        }
    }

    private void save(String incidentId, PlannerIncident before, PlannerIncident after) {
        incidents.put(incidentId, after);
        Long was = IncidentPlanner.nextDue(before, settings.retention());
        Long next = IncidentPlanner.nextDue(after, settings.retention());
        if (was != null && !was.equals(next)) {
            timers.delete(timerKey(was, incidentId));
        }
        if (next != null) {
            timers.put(timerKey(next, incidentId), incidentId);
        }
    }

    private void forward(List<Notification> notifications, long timestamp) {
        for (Notification notification : notifications) {
            context().forward(new Record<>(notification.getThreadKey(), notification, timestamp));
        }
    }

    /** Keys that sort by time: the due time in 15 digits, then the incident. */
    static String timerKey(long dueMillis, String incidentId) {
        return String.format("%015d|%s", Math.max(0, dueMillis), incidentId);
    }
}
