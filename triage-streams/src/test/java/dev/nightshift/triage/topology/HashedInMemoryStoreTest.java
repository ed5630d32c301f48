package dev.nightshift.triage.topology;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hashed store answers every read as Streams' own in-memory store does, after the same writes. */
class HashedInMemoryStoreTest {

    @Test
    void answersLikeStreamsInMemoryStoreAfterRandomWrites() {
        KeyValueStore<Bytes, byte[]> expected = Stores.inMemoryKeyValueStore("expected").get();
        KeyValueStore<Bytes, byte[]> actual = new HashedInMemoryStore("actual");
        Random random = new Random(42);
        for (int step = 0; step < 20_000; step++) {
            Bytes key = key(random.nextInt(300));
            byte[] value = ("v" + step).getBytes(StandardCharsets.UTF_8);
            switch (random.nextInt(6)) {
                case 0, 1, 2 -> {
                    expected.put(key, value);
                    actual.put(key, value);
                }
                case 3 -> assertThat(actual.delete(key)).isEqualTo(expected.delete(key));
                case 4 -> assertThat(actual.putIfAbsent(key, value)).isEqualTo(expected.putIfAbsent(key, value));
                default -> {
                    expected.put(key, null);
                    actual.put(key, null);
                }
            }
            assertThat(actual.get(key)).isEqualTo(expected.get(key));
            if (step % 500 == 0) {
                Bytes from = key(random.nextInt(300));
                Bytes to = key(random.nextInt(300));
                assertThat(entries(actual.range(from, to))).isEqualTo(entries(expected.range(from, to)));
                assertThat(entries(actual.reverseRange(from, to))).isEqualTo(entries(expected.reverseRange(from, to)));
                assertThat(entries(actual.range(from, null))).isEqualTo(entries(expected.range(from, null)));
                assertThat(entries(actual.range(null, to))).isEqualTo(entries(expected.range(null, to)));
                assertThat(entries(actual.all())).isEqualTo(entries(expected.all()));
                assertThat(entries(actual.reverseAll())).isEqualTo(entries(expected.reverseAll()));
                assertThat(entries(actual.prefixScan("fp-1", new StringSerializer())))
                        .isEqualTo(entries(expected.prefixScan("fp-1", new StringSerializer())));
                assertThat(actual.approximateNumEntries()).isEqualTo(expected.approximateNumEntries());
            }
        }
        assertThat(entries(actual.all())).isNotEmpty();
    }

    @Test
    void anIteratorSkipsKeysDeletedAfterItWasMadeAndSeesNewerValues() {
        KeyValueStore<Bytes, byte[]> store = new HashedInMemoryStore("s");
        store.put(key(1), bytes("one"));
        store.put(key(2), bytes("two"));
        store.put(key(3), bytes("three"));
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            store.delete(key(2));
            store.put(key(3), bytes("three again"));
            store.put(key(4), bytes("four"));
            List<String> seen = new ArrayList<>();
            it.forEachRemaining(kv -> seen.add(new String(kv.key.get(), StandardCharsets.UTF_8) + "=" + new String(kv.value, StandardCharsets.UTF_8)));
            assertThat(seen).containsExactly("fp-1=one", "fp-3=three again");
        }
    }

    @Test
    void aRangeWhoseStartIsAfterItsEndIsEmpty() {
        KeyValueStore<Bytes, byte[]> store = new HashedInMemoryStore("s");
        store.put(key(1), bytes("one"));
        store.put(key(5), bytes("five"));
        try (KeyValueIterator<Bytes, byte[]> it = store.range(key(5), key(1))) {
            assertThat(it.hasNext()).isFalse();
        }
    }

    @Test
    void itsPositionCoversEveryWriteWhenAQueryOrACommitAsks() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<Bytes, byte[]> expected = Stores.inMemoryKeyValueStore("expected").get();
        HashedInMemoryStore actual = new HashedInMemoryStore("actual");
        expected.init(context.getStateStoreContext(), expected);
        actual.init(context.getStateStoreContext(), actual);
        Object[][] writes = {{"alerts.raw", 0, 5L}, {"alerts.raw", 0, 9L}, {"alerts.raw", 1, 3L}, {"outcomes", 0, 4L},
                {"alerts.raw", 0, 12L}, {"alerts.raw", 1, 8L}};
        for (int i = 0; i < writes.length; i++) {
            context.setRecordMetadata((String) writes[i][0], (Integer) writes[i][1], (Long) writes[i][2]);
            if (i == 2) {
                expected.delete(key(1));
                actual.delete(key(1));
            } else {
                expected.put(key(i), bytes("v" + i));
                actual.put(key(i), bytes("v" + i));
            }
        }
        Position all = Position.fromMap(Map.of("alerts.raw", Map.of(0, 12L, 1, 8L), "outcomes", Map.of(0, 4L)));
        assertThat(expected.getPosition()).isEqualTo(all);

        QueryResult<byte[]> answer = actual.query(KeyQuery.withKey(key(0)), PositionBound.unbounded(), new QueryConfig(false));
        assertThat(answer.isSuccess()).isTrue();
        assertThat(answer.getPosition()).isEqualTo(all);

        context.setRecordMetadata("alerts.raw", 1, 20L);
        actual.put(key(7), bytes("v7"));
        actual.commit(Map.of());
        assertThat(actual.getPosition())
                .isEqualTo(Position.fromMap(Map.of("alerts.raw", Map.of(0, 12L, 1, 20L), "outcomes", Map.of(0, 4L))));
    }

    private static Bytes key(int i) {
        return Bytes.wrap(("fp-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> entries(KeyValueIterator<Bytes, byte[]> iterator) {
        List<String> entries = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                KeyValue<Bytes, byte[]> kv = iterator.next();
                entries.add(new String(kv.key.get(), StandardCharsets.UTF_8) + "=" + new String(kv.value, StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
