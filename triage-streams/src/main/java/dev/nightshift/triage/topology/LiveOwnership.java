package dev.nightshift.triage.topology;

import dev.nightshift.schema.Ownership;
import dev.nightshift.triage.ownership.OwnershipIndex;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ownership index of one app instance, kept in step with the global ownership store: every
 * change to the store marks the index stale, and the next alert rebuilds it from the store, so an
 * ownership change applies to the next alert with no restart and patterns are compiled once per
 * change, not once per alert. Each index carries the count of changes it was built after, and only
 * one thread rebuilds at a time, so an index never goes back to an older view of the store.
 * <p>
 * It also says whether the store is keeping up: once the app runs, an ownership record that cannot be
 * read because the schema registry cannot be reached is waited for ({@link OwnershipDeserializer}), and
 * routing goes on with the ownership as it stands meanwhile.
 */
public final class LiveOwnership {
    /** An index and the count of store changes it was built after. */
    private record Built(long version, OwnershipIndex index) {
    }

    private final AtomicLong changes = new AtomicLong(1);
    private volatile Built built = new Built(0, OwnershipIndex.EMPTY);
    private final Object registryWait = new Object();
    private volatile boolean running;
    private volatile boolean closed;
    private volatile Instant waitingSince;

    /** Called once the app runs: from then on, ownership records wait out a registry that cannot be reached. */
    public void appRunning() {
        running = true;
    }

    /** Called when the app closes: a wait for the registry ends, and none starts again. */
    public void close() {
        closed = true;
        synchronized (registryWait) {
            registryWait.notifyAll();
        }
    }

    /** Since when ownership updates have been waiting for the schema registry; empty when they are not. */
    public Optional<Instant> waitingForRegistrySince() {
        return Optional.ofNullable(waitingSince);
    }

    /**
     * Pauses the global store's thread for {@code millis} before it tries a record again, and returns true;
     * returns false at once if the record's error should go through instead: before the app first runs (a
     * start with no registry fails rather than hangs) and once it is closing.
     */
    boolean pauseForRegistry(long millis) {
        if (!running || closed) {
            return false;
        }
        if (waitingSince == null) {
            waitingSince = Instant.now();
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (registryWait) {
            for (long left = end - System.nanoTime(); !closed && left > 0; left = end - System.nanoTime()) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(registryWait, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !closed;
    }

    /** Called when an ownership record was read: updates are no longer waiting for the registry. */
    void registryAnswered() {
        if (waitingSince != null) {
            waitingSince = null;
        }
    }

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
