package dev.nightshift.triage.topology;

import dev.nightshift.schema.Ownership;
import dev.nightshift.triage.ownership.OwnershipIndex;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ownership index of one app instance, kept in step with the global ownership store: every
 * change to the store marks the index stale, and the next alert rebuilds it from the store, so an
 * ownership change applies to the next alert with no restart and patterns are compiled once per
 * change, not once per alert.
 */
public final class LiveOwnership {
    private final AtomicBoolean stale = new AtomicBoolean(true);
    private volatile OwnershipIndex index = OwnershipIndex.EMPTY;

    /** Called by the global store's processor after each change. */
    public void changed() {
        stale.set(true);
    }

    public OwnershipIndex current(ReadOnlyKeyValueStore<String, Ownership> store) {
        // A plain read first: a compare-and-set on every alert costs a locked instruction even when nothing changed.
        if (stale.get() && stale.compareAndSet(true, false)) {
            List<Ownership> all = new ArrayList<>();
            try (KeyValueIterator<String, Ownership> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, Ownership> entry = it.next();
                    if (entry.value != null) {
                        all.add(entry.value);
                    }
                }
            }
            index = new OwnershipIndex(all);
        }
        return index;
    }
}
