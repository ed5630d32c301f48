package dev.nightshift.triage.ownership;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PrefixTrieTest {
    private static List<String> lookup(PrefixTrie<String> trie, String s) {
        List<String> seen = new ArrayList<>();
        trie.forEachPrefixOf(s, seen::add);
        return seen;
    }

    @Test
    void findsTheValuesOfEveryPrefixShortestFirstAndNothingElse() {
        PrefixTrie<String> trie = new PrefixTrie<>();
        trie.add("dynamodb:orders-eu", "orders-eu");
        trie.add("dynamodb:orders-", "orders");
        trie.add("dynamodb:", "any table");
        trie.add("dynamodb:ord", "ord");
        trie.add("ecs:payments/", "payments");
        trie.add("", "everything");
        trie.add("dynamodb:orders-", "orders again");

        assertThat(lookup(trie, "dynamodb:orders-eu-1"))
                .containsExactly("everything", "any table", "ord", "orders", "orders again", "orders-eu");
        assertThat(lookup(trie, "dynamodb:orders-us")).containsExactly("everything", "any table", "ord", "orders", "orders again");
        assertThat(lookup(trie, "dynamodb:or")).containsExactly("everything", "any table");
        assertThat(lookup(trie, "dynamodb")).containsExactly("everything");
        assertThat(lookup(trie, "ecs:payments/api")).containsExactly("everything", "payments");
        assertThat(lookup(trie, "")).containsExactly("everything");
    }

    @Test
    void anEmptyTrieFindsNothing() {
        PrefixTrie<String> trie = new PrefixTrie<>();
        assertThat(trie.isEmpty()).isTrue();
        assertThat(lookup(trie, "dynamodb:orders")).isEmpty();
        trie.add("x", "x");
        assertThat(trie.isEmpty()).isFalse();
    }

    /**
     * Random prefixes against the plain rule: over a small alphabet they share runs, part at every depth and nest; over a
     * larger one a node has many children (looked up by binary search rather than a scan).
     */
    @Test
    void agreesWithCheckingEveryPrefixOnRandomTries() {
        Random random = new Random(42);
        for (int table = 0; table < 300; table++) {
            String alphabet = table % 2 == 0 ? "ab-:" : "abcdefghijklmnop";
            PrefixTrie<String> trie = new PrefixTrie<>();
            List<String> prefixes = new ArrayList<>();
            int size = random.nextInt(60);
            for (int i = 0; i < size; i++) {
                String prefix = randomString(random, alphabet, 8);
                prefixes.add(prefix);
                trie.add(prefix, prefix + "#" + i);
            }
            for (int probe = 0; probe < 100; probe++) {
                String s = random.nextBoolean() && !prefixes.isEmpty()
                        ? prefixes.get(random.nextInt(prefixes.size())) + randomString(random, alphabet, 3)
                        : randomString(random, alphabet, 10);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < prefixes.size(); i++) {
                    if (s.startsWith(prefixes.get(i))) {
                        expected.add(prefixes.get(i) + "#" + i);
                    }
                }
                // shortest prefix first; values filed under one prefix in the order they were added
                expected.sort(Comparator.comparingInt((String v) -> v.indexOf('#'))
                        .thenComparingInt(v -> Integer.parseInt(v.substring(v.indexOf('#') + 1))));
                assertThat(lookup(trie, s)).as("lookup of %s in %s", s, prefixes).isEqualTo(expected);
            }
        }
    }

    private static String randomString(Random random, String alphabet, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
