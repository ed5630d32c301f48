package dev.nightshift.triage.topology;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The entry table holds what a HashMap holds after the same puts and removes, through growth and clusters. */
class EntryTableTest {

    @Test
    void holdsWhatAHashMapHoldsAfterTheSameWrites() {
        EntryTable table = new EntryTable();
        Map<String, String> expected = new HashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            String key = "fingerprint-" + random.nextInt(step < 100_000 ? 3_000 : 300);
            if (random.nextInt(3) == 0) {
                byte[] removed = table.remove(bytes(key));
                String was = expected.remove(key);
                assertThat(removed == null ? null : new String(removed, StandardCharsets.UTF_8)).isEqualTo(was);
            } else {
                String value = "state of " + key + " at " + step;
                assertThat(table.put(bytes(key), bytes(value))).isEqualTo(!expected.containsKey(key));
                expected.put(key, value);
            }
            if (step % 10_000 == 0) {
                assertThat(table.size()).isEqualTo(expected.size());
                for (int k = 0; k < 3_000; k++) {
                    String probe = "fingerprint-" + k;
                    byte[] found = table.get(bytes(probe));
                    assertThat(found == null ? null : new String(found, StandardCharsets.UTF_8)).as(probe).isEqualTo(expected.get(probe));
                }
            }
        }
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.get(bytes("fingerprint-1"))).isNull();
    }

    @Test
    void keysOfDifferentLengthsAndEmptyValuesStayApart() {
        EntryTable table = new EntryTable();
        table.put(bytes("a"), bytes(""));
        table.put(bytes("ab"), bytes("x"));
        table.put(new byte[0], bytes("empty key"));
        assertThat(table.get(bytes("a"))).isEmpty();
        assertThat(new String(table.get(bytes("ab")), StandardCharsets.UTF_8)).isEqualTo("x");
        assertThat(new String(table.get(new byte[0]), StandardCharsets.UTF_8)).isEqualTo("empty key");
        assertThat(table.get(bytes("abc"))).isNull();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
