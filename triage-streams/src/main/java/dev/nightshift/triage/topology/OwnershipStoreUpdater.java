package dev.nightshift.triage.topology;

import dev.nightshift.schema.Ownership;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global ownership store equal to the compacted topic (a tombstone removes the service) and marks the index stale. */
final class OwnershipStoreUpdater implements Processor<String, Ownership, Void, Void> {
    private final LiveOwnership live;
    private KeyValueStore<String, Ownership> store;

    OwnershipStoreUpdater(LiveOwnership live) {
        this.live = live;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StoreNames.OWNERSHIP);
    }

    @Override
    public void process(Record<String, Ownership> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        live.changed();
    }
}
