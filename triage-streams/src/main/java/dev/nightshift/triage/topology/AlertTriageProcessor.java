package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.FingerprintState;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Ownership;
import dev.nightshift.triage.classify.Classification;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.TriageOutput;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Triage of one alert, keyed by fingerprint: classify it, find its owner, apply the incident
 * lifecycle to the fingerprint's state, and forward what the lifecycle publishes, re-keyed by
 * incident id. An incident replaced by a newer one of the same fingerprint moves to the archive. A wall-clock punctuator expires idle incidents, finalizes resolved ones whose reopen
 * window has passed and forgets state past its retention.
 */
final class AlertTriageProcessor extends ContextualProcessor<String, Alert, String, SpecificRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertTriageProcessor.class);
    private final TriageTopology.Settings settings;
    private final IncidentLifecycle lifecycle;
    private KeyValueStore<String, FingerprintState> incidents;
    private KeyValueStore<String, Incident> archive;
    private ReadOnlyKeyValueStore<String, Ownership> ownership;
    private String incidentsCursor;
    private String archiveCursor;

    AlertTriageProcessor(TriageTopology.Settings settings) {
        this.settings = settings;
        this.lifecycle = settings.lifecycle();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        incidents = context.getStateStore(StoreNames.INCIDENTS);
        archive = context.getStateStore(StoreNames.INCIDENT_ARCHIVE);
        ownership = context.getStateStore(StoreNames.OWNERSHIP);
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, Alert> record) {
        Alert alert = record.value();
        if (alert == null) {
            return;
        }
        String fingerprint = record.key();
        if (fingerprint == null || fingerprint.isEmpty()) {
            // The key chose the partition, and the fingerprint's state lives in that partition's task: an alert
            // with no key would keep its state where no later alert, outcome or query of it would look.
            throw new IllegalArgumentException("an alert on alerts.raw must be keyed by its fingerprint; this one ("
                    + alert.getAlertId() + ") has " + (fingerprint == null ? "no key" : "an empty key"));
        }
        if (!fingerprint.equals(alert.getFingerprint())) {
            alert.setFingerprint(fingerprint);
        }
        Classification classification = settings.rules().classify(alert);
        Owner owner = settings.owners().resolve(alert, settings.liveOwnership().current(ownership));
        if (!owner.getTeam().equals(settings.owners().defaultTeam()) && !settings.teamTopics().ensure(owner.getTeam())) {
            LOG.warn("team topic for {} is not available; alert {} goes to the default team", owner.getTeam(), alert.getAlertId());
            owner = Owner.newBuilder(owner).setTeam(settings.owners().defaultTeam()).build();
        }
        FingerprintState state = incidents.get(fingerprint);
        Incident before = state == null ? null : state.getIncident();
        IncidentLifecycle.Result result = lifecycle.onAlert(state, alert, classification, owner, context().currentSystemTimeMs());
        if (result.changed()) {
            Incident after = result.state().getIncident();
            if (before != null && after != null && !before.getIncidentId().equals(after.getIncidentId())) {
                archive.put(before.getIncidentId(), before);
            }
            incidents.put(fingerprint, result.state());
        }
        publish(result.outputs(), record.timestamp());
    }

    /**
     * One wall-clock punctuation: looks at the next {@code punctuateBatch} fingerprints (and archived
     * incidents) after where the previous one stopped, wrapping around, so that a punctuation never
     * holds up the alerts behind it for long however many fingerprints the task has.
     */
    private void tick(long now) {
        List<KeyValue<String, FingerprintState>> updates = new ArrayList<>();
        List<String> forgotten = new ArrayList<>();
        List<TriageOutput> outputs = new ArrayList<>();
        int batch = settings.punctuateBatch();
        String last = null;
        int seen = 0;
        try (KeyValueIterator<String, FingerprintState> it = incidentsCursor == null ? incidents.all() : incidents.range(incidentsCursor, null)) {
            while (it.hasNext() && seen < batch) {
                KeyValue<String, FingerprintState> entry = it.next();
                if (entry.key.equals(incidentsCursor)) {
                    continue;
                }
                seen++;
                last = entry.key;
                FingerprintState state = entry.value;
                IncidentLifecycle.Result result = lifecycle.onTick(state, now);
                if (result.changed()) {
                    updates.add(KeyValue.pair(entry.key, result.state()));
                    outputs.addAll(result.outputs());
                } else if (lifecycle.forgettable(state, now)) {
                    forgotten.add(entry.key);
                }
            }
            incidentsCursor = seen < batch ? null : last;
        }
        updates.forEach(u -> incidents.put(u.key, u.value));
        forgotten.forEach(incidents::delete);
        publish(outputs, now);

        List<String> expiredIds = new ArrayList<>();
        long horizon = now - lifecycle.settings().stateRetention().toMillis();
        last = null;
        seen = 0;
        try (KeyValueIterator<String, Incident> it = archiveCursor == null ? archive.all() : archive.range(archiveCursor, null)) {
            while (it.hasNext() && seen < batch) {
                KeyValue<String, Incident> entry = it.next();
                if (entry.key.equals(archiveCursor)) {
                    continue;
                }
                seen++;
                last = entry.key;
                if (!IncidentLifecycle.isOpen(entry.value) && entry.value.getUpdatedAt().toEpochMilli() < horizon) {
                    expiredIds.add(entry.key);
                }
            }
            archiveCursor = seen < batch ? null : last;
        }
        expiredIds.forEach(archive::delete);
    }

    private void publish(List<TriageOutput> outputs, long timestamp) {
        for (TriageOutput output : outputs) {
            OutputSinks.forward(context(), "", output, timestamp);
        }
    }
}
