package dev.nightshift.triage.topology;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A key-value store that keeps the objects it was last given next to the (serialized, changelogged)
 * store it wraps, so that reading back the state of a fingerprint it has just written skips
 * deserializing it. Every write goes through to the wrapped store at once: the changelog, restore,
 * interactive queries, iteration and exactly-once are the wrapped store's, unchanged.
 *
 * <p>A cached object is handed out at most once: {@link #get} removes it, and the next {@link #put}
 * of the key puts it back. Callers change state objects in place before writing them; if processing
 * fails between the read and the write, the half-changed object is not in the cache, and the next
 * read deserializes what the store holds. The cache is emptied when the store is (re)initialized or
 * closed, so a task revived after an aborted transaction starts from the restored store.
 *
 * <p>Bounded: the least recently written entries beyond {@code maxEntries} are dropped (they stay in
 * the wrapped store). Guarded by the instance's lock, since interactive queries read from other
 * threads than the stream thread.
 */
final class StateObjectCache<K, V> implements KeyValueStore<K, V> {
    private final KeyValueStore<K, V> inner;
    private final Map<K, V> objects;

    StateObjectCache(KeyValueStore<K, V> inner, int maxEntries) {
        this.inner = inner;
        this.objects = new LinkedHashMap<>(Math.min(maxEntries, 1024) * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** Wraps what {@code builder} builds; the cache keeps at most {@code maxEntries} objects per store instance (per task). */
    static <K, V> StoreBuilder<KeyValueStore<K, V>> builder(StoreBuilder<KeyValueStore<K, V>> builder, int maxEntries) {
        if (maxEntries <= 0) {
            return builder;
        }
        return new Builder<>(builder, maxEntries);
    }

    @Override
    public V get(K key) {
        synchronized (this) {
            V cached = objects.remove(key);
            if (cached != null) {
                return cached;
            }
        }
        return inner.get(key);
    }

    @Override
    public void put(K key, V value) {
        inner.put(key, value);
        remember(key, value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        forget(key);
        return inner.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        inner.putAll(entries);
        entries.forEach(e -> remember(e.key, e.value));
    }

    @Override
    public V delete(K key) {
        forget(key);
        return inner.delete(key);
    }

    private synchronized void remember(K key, V value) {
        if (value == null) {
            objects.remove(key);
        } else {
            objects.put(key, value);
        }
    }

    private synchronized void forget(K key) {
        objects.remove(key);
    }

    private synchronized void forgetAll() {
        objects.clear();
    }

    /** Objects held now (for tests). */
    synchronized int cachedEntries() {
        return objects.size();
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return inner.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return inner.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        forgetAll();
        inner.init(context, root);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(Map<org.apache.kafka.common.TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(org.apache.kafka.common.TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public void close() {
        forgetAll();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    private record Builder<K, V>(StoreBuilder<KeyValueStore<K, V>> delegate, int maxEntries) implements StoreBuilder<KeyValueStore<K, V>> {
        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            return new Builder<>(delegate.withCachingEnabled(), maxEntries);
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            return new Builder<>(delegate.withCachingDisabled(), maxEntries);
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(delegate.withLoggingEnabled(config), maxEntries);
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            return new Builder<>(delegate.withLoggingDisabled(), maxEntries);
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new StateObjectCache<>(delegate.build(), maxEntries);
        }

        @Override
        public Map<String, String> logConfig() {
            return delegate.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return delegate.loggingEnabled();
        }

        @Override
        public String name() {
            return delegate.name();
        }
    }
}
