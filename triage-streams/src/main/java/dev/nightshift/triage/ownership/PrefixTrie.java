package dev.nightshift.triage.ownership;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Values filed under string prefixes, found by walking a string from its start: a lookup visits the
 * values of every prefix of the string, in order of length, and nothing else. The cost of a lookup
 * depends on the string's length and the values it meets, not on how many values the trie holds.
 *
 * <p>Paths are compressed: a node's edge holds all the characters up to the next place where prefixes
 * part (or a value is filed), so a walk compares runs of characters and looks up a child only where
 * the filed prefixes branch. Ownership prefixes share long runs ({@code dynamodb:orders-}), and a trie
 * with a child map per character spent most of a lookup hashing characters. Not thread-safe while
 * being built; read-only afterwards.
 */
final class PrefixTrie<T> {
    private static final char[] NO_FIRSTS = new char[0];
    private final Node<T> root = new Node<>("");
    private boolean empty = true;

    private static final class Node<T> {
        /** The characters on the edge into this node; the root's is empty. */
        private String edge;
        /** The first character of each child's edge, sorted; {@code children[i]} starts with {@code firsts[i]}. */
        private char[] firsts = NO_FIRSTS;
        private Node<T>[] children = newArray(0);
        private final List<T> values = new ArrayList<>(1);

        Node(String edge) {
            this.edge = edge;
        }

        Node<T> child(char first) {
            char[] f = firsts;
            if (f.length < 8) {
                for (int i = 0; i < f.length; i++) {
                    if (f[i] == first) {
                        return children[i];
                    }
                }
                return null;
            }
            int i = Arrays.binarySearch(f, first);
            return i < 0 ? null : children[i];
        }

        void putChild(Node<T> child) {
            char first = child.edge.charAt(0);
            int i = Arrays.binarySearch(firsts, first);
            if (i >= 0) {
                children[i] = child;
                return;
            }
            int at = -i - 1;
            char[] f = new char[firsts.length + 1];
            Node<T>[] c = newArray(children.length + 1);
            System.arraycopy(firsts, 0, f, 0, at);
            System.arraycopy(children, 0, c, 0, at);
            f[at] = first;
            c[at] = child;
            System.arraycopy(firsts, at, f, at + 1, firsts.length - at);
            System.arraycopy(children, at, c, at + 1, children.length - at);
            firsts = f;
            children = c;
        }

        @SuppressWarnings("unchecked")
        private static <T> Node<T>[] newArray(int length) {
            return (Node<T>[]) new Node<?>[length];
        }
    }

    /** Visits each value filed under a prefix of the string it is looking up. */
    @FunctionalInterface
    interface Visitor<T> {
        void visit(T value);
    }

    void add(String prefix, T value) {
        Node<T> node = root;
        int at = 0;
        while (at < prefix.length()) {
            Node<T> child = node.child(prefix.charAt(at));
            if (child == null) {
                child = new Node<>(prefix.substring(at));
                node.putChild(child);
                node = child;
                break;
            }
            int common = commonLength(child.edge, prefix, at);
            if (common < child.edge.length()) {
                // the new prefix parts from the child's edge part-way along it: a node goes in where they part
                Node<T> split = new Node<>(child.edge.substring(0, common));
                child.edge = child.edge.substring(common);
                split.putChild(child);
                node.putChild(split);
                child = split;
            }
            node = child;
            at += common;
        }
        node.values.add(value);
        empty = false;
    }

    private static int commonLength(String edge, String s, int from) {
        int max = Math.min(edge.length(), s.length() - from);
        int i = 0;
        while (i < max && edge.charAt(i) == s.charAt(from + i)) {
            i++;
        }
        return i;
    }

    boolean isEmpty() {
        return empty;
    }

    /** Calls {@code visitor} with every value filed under a prefix of {@code s} (the empty prefix too), shortest first. */
    void forEachPrefixOf(String s, Visitor<T> visitor) {
        Node<T> node = root;
        int at = 0;
        while (true) {
            List<T> values = node.values;
            for (int i = 0; i < values.size(); i++) {
                visitor.visit(values.get(i));
            }
            if (at == s.length()) {
                return;
            }
            node = node.child(s.charAt(at));
            if (node == null || !s.startsWith(node.edge, at)) {
                return;
            }
            at += node.edge.length();
        }
    }
}
