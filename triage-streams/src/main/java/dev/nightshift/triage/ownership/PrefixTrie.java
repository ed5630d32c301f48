package dev.nightshift.triage.ownership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Values filed under string prefixes, found by walking a string character by character: a lookup
 * visits the values of every prefix of the string, in order of length, and nothing else. The cost
 * of a lookup depends on the string's length and the values it meets, not on how many values the
 * trie holds. Not thread-safe while being built; read-only afterwards.
 */
final class PrefixTrie<T> {
    private final Node<T> root = new Node<>();
    private boolean empty = true;

    private static final class Node<T> {
        private final Map<Character, Node<T>> next = new HashMap<>();
        private final List<T> values = new ArrayList<>();
    }

    /** Visits each value filed under a prefix of the string it is looking up. */
    @FunctionalInterface
    interface Visitor<T> {
        void visit(T value);
    }

    void add(String prefix, T value) {
        Node<T> node = root;
        for (int i = 0; i < prefix.length(); i++) {
            node = node.next.computeIfAbsent(prefix.charAt(i), c -> new Node<>());
        }
        node.values.add(value);
        empty = false;
    }

    boolean isEmpty() {
        return empty;
    }

    /** Calls {@code visitor} with every value filed under a prefix of {@code s} (the empty prefix too). */
    void forEachPrefixOf(String s, Visitor<T> visitor) {
        Node<T> node = root;
        for (int i = 0; ; i++) {
            for (T value : node.values) {
                visitor.visit(value);
            }
            if (i == s.length() || node.next.isEmpty()) {
                return;
            }
            node = node.next.get(s.charAt(i));
            if (node == null) {
                return;
            }
        }
    }
}
