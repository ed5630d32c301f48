package dev.nightshift.triage.topology;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.StoreQueryUtils;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An in-memory key-value store for keys that are mostly read and rewritten, rarely added: a hash
 * table ({@link EntryTable}) holds each key with its value in one array, and a sorted set of the keys,
 * changed only when a key comes or goes, serves the ordered scans. Streams' own in-memory store keeps
 * one sorted map, so every read and every rewrite walks a tree of byte-array keys; triage reads and
 * rewrites a fingerprint's state on every alert and scans only in its punctuator and in queries.
 *
 * <p>Iterators see the keys there were when they were made and each key's value when they reach it
 * (a key deleted meanwhile is skipped), as with Streams' store. Methods are synchronized because
 * interactive queries read from other threads.
 *
 * <p>The store's {@link Position} (the input offsets its writes came from, which bounds interactive
 * queries) is brought up to date when a query asks, at every commit, and when the writes move to another
 * input partition; in between, each write only notes its offset. Updating the position itself on every
 * write goes through two concurrent maps and cost a few percent of triage's stream thread. A position
 * read in between may lag, never lead: it says the store has seen at least that much, which stays true.
 */
public final class HashedInMemoryStore implements KeyValueStore<Bytes, byte[]> {
    private final String name;
    private final EntryTable values = new EntryTable();
    private final NavigableSet<Bytes> keys = new TreeSet<>();
    private final Position position = Position.emptyPosition();
    private String pendingTopic;
    private int pendingPartition;
    private long pendingOffset;
    private StateStoreContext context;
    private volatile boolean open;

    public HashedInMemoryStore(String name) {
        this.name = name;
    }

    /** The supplier for {@code Stores.keyValueStoreBuilder}, which adds the changelog and metrics layers. */
    public static KeyValueBytesStoreSupplier supplier(String name) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new HashedInMemoryStore(name);
            }

            @Override
            public String metricsScope() {
                return "in-memory";
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        this.context = context;
        if (root != null) {
            context.register(root, (key, value) -> {
                synchronized (this) {
                    write(Bytes.wrap(key), value);
                }
            });
        }
        open = true;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The position as of the latest query or commit; it may lag the writes since, never lead them. */
    @Override
    public Position getPosition() {
        return position;
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        synchronized (this) {
            applyPendingPosition();
        }
        return StoreQueryUtils.handleBasicQueries(query, positionBound, config, this, position, context);
    }

    @Override
    public synchronized void flush() {
        applyPendingPosition();
    }

    /** Notes the input offset of the record being processed, as the position's next component. */
    private void notePosition() {
        if (context == null) {
            return;
        }
        Optional<RecordMetadata> metadata = context.recordMetadata();
        if (metadata.isEmpty() || metadata.get().topic() == null) {
            return;
        }
        RecordMetadata record = metadata.get();
        if (pendingTopic != null && (record.partition() != pendingPartition || !record.topic().equals(pendingTopic))) {
            applyPendingPosition();
        }
        pendingOffset = record.offset();
        pendingTopic = record.topic();
        pendingPartition = record.partition();
    }

    private void applyPendingPosition() {
        if (pendingTopic != null) {
            position.withComponent(pendingTopic, pendingPartition, pendingOffset);
            pendingTopic = null;
        }
    }

    @Override
    public synchronized byte[] get(Bytes key) {
        return values.get(key.get());
    }

    @Override
    public synchronized void put(Bytes key, byte[] value) {
        write(key, value);
        notePosition();
    }

    @Override
    public synchronized byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] current = values.get(key.get());
        if (current == null && value != null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public synchronized void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        for (KeyValue<Bytes, byte[]> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    @Override
    public synchronized byte[] delete(Bytes key) {
        byte[] old = remove(key);
        notePosition();
        return old;
    }

    private void write(Bytes key, byte[] value) {
        if (value == null) {
            remove(key);
        } else if (values.put(key.get(), value)) {
            keys.add(key);
        }
    }

    private byte[] remove(Bytes key) {
        byte[] old = values.remove(key.get());
        if (old != null) {
            keys.remove(key);
        }
        return old;
    }

    @Override
    public synchronized KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(slice(from, to), false);
    }

    @Override
    public synchronized KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return iterator(slice(from, to), true);
    }

    @Override
    public synchronized KeyValueIterator<Bytes, byte[]> all() {
        return iterator(keys, false);
    }

    @Override
    public synchronized KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(keys, true);
    }

    @Override
    public synchronized <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        Bytes from = Bytes.wrap(prefixKeySerializer.serialize(null, prefix));
        Bytes to = Bytes.increment(from);
        return iterator(keys.subSet(from, true, to, false), false);
    }

    /** The keys from {@code from} to {@code to}, both included; a null bound is open. */
    private NavigableSet<Bytes> slice(Bytes from, Bytes to) {
        if (from != null && to != null && from.compareTo(to) > 0) {
            return Collections.emptyNavigableSet();
        }
        if (from == null && to == null) {
            return keys;
        }
        if (from == null) {
            return keys.headSet(to, true);
        }
        if (to == null) {
            return keys.tailSet(from, true);
        }
        return keys.subSet(from, true, to, true);
    }

    private KeyValueIterator<Bytes, byte[]> iterator(NavigableSet<Bytes> slice, boolean reverse) {
        List<Bytes> snapshot = new ArrayList<>(slice);
        if (reverse) {
            Collections.reverse(snapshot);
        }
        return new SnapshotIterator(snapshot.iterator());
    }

    @Override
    public synchronized long approximateNumEntries() {
        return values.size();
    }

    @Override
    public synchronized void close() {
        values.clear();
        keys.clear();
        open = false;
    }

    /** Walks a copy of the keys, reading each value when it gets there and skipping keys deleted since. */
    private final class SnapshotIterator implements KeyValueIterator<Bytes, byte[]> {
        private final Iterator<Bytes> keys;
        private KeyValue<Bytes, byte[]> next;

        SnapshotIterator(Iterator<Bytes> keys) {
            this.keys = keys;
        }

        @Override
        public boolean hasNext() {
            while (next == null && keys.hasNext()) {
                Bytes key = keys.next();
                byte[] value = get(key);
                if (value != null) {
                    next = KeyValue.pair(key, value);
                }
            }
            return next != null;
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            KeyValue<Bytes, byte[]> result = next;
            next = null;
            return result;
        }

        @Override
        public Bytes peekNextKey() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return next.key;
        }

        @Override
        public void close() {
        }
    }
}
