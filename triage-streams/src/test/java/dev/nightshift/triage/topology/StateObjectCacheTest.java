package dev.nightshift.triage.topology;

import dev.nightshift.triage.lifecycle.FingerprintState;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class StateObjectCacheTest {
    private StateObjectCache<String, FingerprintState> store;
    private MockProcessorContext<Object, Object> context;

    @BeforeEach
    void open() {
        context = new MockProcessorContext<>();
        store = cache(3);
    }

    private StateObjectCache<String, FingerprintState> cache(int maxEntries) {
        KeyValueStore<String, FingerprintState> built = StateObjectCache.builder(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("fingerprints"), Serdes.String(), new FingerprintStateSerde())
                        .withLoggingDisabled(), maxEntries).build();
        built.init(context.getStateStoreContext(), built);
        return (StateObjectCache<String, FingerprintState>) built;
    }

    private static FingerprintState state(long transition) {
        FingerprintState state = new FingerprintState();
        state.transitions().add(transition);
        return state;
    }

    @Test
    void theStateJustWrittenIsReadBackWithoutDeserializing() {
        FingerprintState written = state(1);
        store.put("fp-1", written);
        assertSame(written, store.get("fp-1"));
    }

    @Test
    void aCachedObjectIsHandedOutOnceAndLaterReadsComeFromTheStore() {
        store.put("fp-1", state(1));
        FingerprintState first = store.get("fp-1");
        first.transitions().add(99L);   // changed, but never written back (processing failed, say)
        FingerprintState second = store.get("fp-1");
        assertNotSame(first, second);
        assertEquals(List.of(1L), second.transitions(), "the store's value, not the half-changed object");
    }

    @Test
    void writesGoThroughToTheStoreAtOnce() {
        store.put("fp-1", state(1));
        try (var all = store.all()) {
            assertEquals(List.of(1L), all.next().value.transitions());
        }
        assertEquals(1, store.approximateNumEntries());
    }

    @Test
    void boundedEntriesAreDroppedFromTheCacheButStayInTheStore() {
        for (int i = 0; i < 5; i++) {
            store.put("fp-" + i, state(i));
        }
        assertEquals(3, store.cachedEntries());
        FingerprintState oldest = store.get("fp-0");
        assertNotNull(oldest);
        assertEquals(List.of(0L), oldest.transitions());
    }

    @Test
    void deleteForgetsBoth() {
        store.put("fp-1", state(1));
        store.delete("fp-1");
        assertNull(store.get("fp-1"));
        assertEquals(0, store.cachedEntries());
    }

    @Test
    void reinitializingTheStoreEmptiesTheCache() {
        store.put("fp-1", state(1));
        store.close();
        store.init(context.getStateStoreContext(), store);
        assertEquals(0, store.cachedEntries());
    }

    @Test
    void zeroEntriesLeavesTheStoreUnwrapped() {
        var builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("plain"), Serdes.String(), new FingerprintStateSerde());
        assertSame(builder, StateObjectCache.builder(builder, 0));
    }
}
