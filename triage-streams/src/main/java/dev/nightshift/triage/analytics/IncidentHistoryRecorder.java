package dev.nightshift.triage.analytics;

import dev.nightshift.schema.IncidentHistory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds each record about an incident to the incident's history in {@link AnalyticsTopology#HISTORY_STORE}
 * (the rules are {@link IncidentHistories}'), and drops histories once they are older than the retention
 * (looked at every {@link #PURGE_INTERVAL} of wall-clock time).
 */
final class IncidentHistoryRecorder<V extends SpecificRecord> extends ContextualProcessor<String, V, Void, Void> {
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    private final Duration retention;
    private final boolean purges;
    private KeyValueStore<String, IncidentHistory> histories;

    /** @param purges whether this processor drops the histories past retention (one of the store's processors does) */
    IncidentHistoryRecorder(Duration retention, boolean purges) {
        this.retention = retention;
        this.purges = purges;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        super.init(context);
        histories = context.getStateStore(AnalyticsTopology.HISTORY_STORE);
        if (purges) {
            context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purge);
        }
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.value() == null) {
            return;
        }
        String incidentId = IncidentHistories.incidentIdOf(record.value());
        if (incidentId == null || incidentId.isEmpty()) {
            return;
        }
        IncidentHistory history = histories.get(incidentId);
        IncidentHistory before = history != null ? history : IncidentHistories.empty(incidentId, context().currentSystemTimeMs());
        IncidentHistory after = IncidentHistories.with(before, record.value());
        if (after != before || history == null) {
            histories.put(incidentId, after);
        }
    }

    private void purge(long now) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, IncidentHistory> all = histories.all()) {
            while (all.hasNext()) {
                KeyValue<String, IncidentHistory> entry = all.next();
                if (IncidentHistories.pastRetention(entry.value, now, retention)) {
                    old.add(entry.key);
                }
            }
        }
        old.forEach(histories::delete);
    }
}
