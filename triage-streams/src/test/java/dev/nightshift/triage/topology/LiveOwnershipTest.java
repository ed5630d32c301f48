package dev.nightshift.triage.topology;

import dev.nightshift.schema.Ownership;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ownership index kept in step with the global store, with several stream threads asking for it. */
class LiveOwnershipTest {
    private final Map<String, Ownership> entries = new ConcurrentHashMap<>();

    private static Ownership owner(String service, String team) {
        return Ownership.newBuilder().setService(service).setTeam(team).setUpdatedAt(Instant.EPOCH).build();
    }

    private static String teamOf(dev.nightshift.triage.ownership.OwnershipIndex index, String service) {
        return index.service(service).map(Ownership::getTeam).orElse(null);
    }

    @Test
    void aChangeAppliesToTheNextAlertAndTheIndexIsBuiltOncePerChange() {
        LiveOwnership live = new LiveOwnership();
        SnapshotStore store = new SnapshotStore(null, null);
        entries.put("search", owner("search", "discovery"));
        var first = live.current(store);
        assertThat(teamOf(first, "search")).isEqualTo("discovery");
        assertThat(live.current(store)).as("no change, no rebuild").isSameAs(first);

        entries.put("search", owner("search", "platform"));
        live.changed();
        assertThat(teamOf(live.current(store), "search")).isEqualTo("platform");
    }

    @Test
    void anIndexBuiltFromAnOlderViewNeverReplacesOneBuiltFromANewerView() throws Exception {
        LiveOwnership live = new LiveOwnership();
        entries.put("search", owner("search", "old-team"));
        CountDownLatch slowReaderInside = new CountDownLatch(1);
        CountDownLatch letSlowReaderOn = new CountDownLatch(1);
        SnapshotStore store = new SnapshotStore(slowReaderInside, letSlowReaderOn);

        // a stream thread starts rebuilding and takes its view of the store: old-team
        Thread slow = new Thread(() -> live.current(store), "stream-thread-slow");
        slow.start();
        assertThat(slowReaderInside.await(10, TimeUnit.SECONDS)).isTrue();

        // meanwhile the ownership changes, and another stream thread asks for the index
        entries.put("search", owner("search", "new-team"));
        live.changed();
        AtomicReference<String> seenByOther = new AtomicReference<>();
        Thread other = new Thread(() -> seenByOther.set(teamOf(live.current(store), "search")), "stream-thread-other");
        other.start();
        // the other thread either built its index already or waits for the slow one: either way, let the slow one finish
        await().atMost(Duration.ofSeconds(10)).until(() -> other.getState() == Thread.State.BLOCKED
                || other.getState() == Thread.State.TERMINATED);
        letSlowReaderOn.countDown();
        slow.join(10_000);
        other.join(10_000);

        assertThat(seenByOther.get()).isEqualTo("new-team");
        assertThat(teamOf(live.current(store), "search")).as("the next alert after both rebuilt").isEqualTo("new-team");
    }

    /** The store: {@link #all()} takes a snapshot of the entries; the first call can be held after taking it. */
    private final class SnapshotStore implements ReadOnlyKeyValueStore<String, Ownership> {
        private final CountDownLatch inside;
        private final CountDownLatch goOn;
        private boolean first = true;

        SnapshotStore(CountDownLatch inside, CountDownLatch goOn) {
            this.inside = inside;
            this.goOn = goOn;
        }

        @Override
        public KeyValueIterator<String, Ownership> all() {
            List<KeyValue<String, Ownership>> snapshot = entries.entrySet().stream()
                    .map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList();
            boolean hold;
            synchronized (this) {
                hold = first && inside != null;
                first = false;
            }
            if (hold) {
                inside.countDown();
                try {
                    goOn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Iterator<KeyValue<String, Ownership>> it = snapshot.iterator();
            return new KeyValueIterator<>() {
                @Override
                public void close() {
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, Ownership> next() {
                    return it.next();
                }
            };
        }

        @Override
        public Ownership get(String key) {
            return entries.get(key);
        }

        @Override
        public KeyValueIterator<String, Ownership> range(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long approximateNumEntries() {
            return entries.size();
        }
    }
}
