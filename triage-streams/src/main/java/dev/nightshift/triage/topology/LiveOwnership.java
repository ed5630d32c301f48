package dev.nightshift.triage.topology;

import dev.nightshift.schema.Ownership;
import dev.nightshift.triage.ownership.OwnershipIndex;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ownership index of one app instance, kept in step with the global ownership store: every
 * change to the store marks the index stale, and the next alert rebuilds it from the store, so an
 * ownership change applies to the next alert with no restart and patterns are compiled once per
 * change, not once per alert. Each index carries the count of changes it was built after, and only
 * one thread rebuilds at a time, so an index never goes back to an older view of the store.
 */
public final class LiveOwnership {
    /** An index and the count of store changes it was built after. */
    private record Built(long version, OwnershipIndex index) {
    }

    private final AtomicLong changes = new AtomicLong(1);
    private volatile Built built = new Built(0, OwnershipIndex.EMPTY);

    /** Called by the global store's processor after each change. */
    public void changed() {
        changes.incrementAndGet();
    }

    public OwnershipIndex current(ReadOnlyKeyValueStore<String, Ownership> store) {
        Built now = built;
        return now.version() == changes.get() ? now.index() : rebuild(store);
    }

    /**
     * One rebuild at a time: with several stream threads, an index built from an older view of the store
     * must never replace one built from a newer view (the newer change would be lost until the next one).
     */
    private synchronized OwnershipIndex rebuild(ReadOnlyKeyValueStore<String, Ownership> store) {
        long version = changes.get();   // read before the store: a change after this read bumps it again
        if (built.version() == version) {
            return built.index();
        }
        List<Ownership> all = new ArrayList<>();
        try (KeyValueIterator<String, Ownership> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, Ownership> entry = it.next();
                if (entry.value != null) {
                    all.add(entry.value);
                }
            }
        }
        OwnershipIndex index = new OwnershipIndex(all);
        built = new Built(version, index);
        return index;
    }
}
