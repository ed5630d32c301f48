package dev.nightshift.triage.topology;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hash table from byte-array keys to byte-array values that keeps each key with its value in one
 * array ({@code [key length, 4 bytes][key][value]}). Finding a key and reading its value then touch
 * the slot and that one array, where a {@code HashMap<Bytes, byte[]>} goes through a node, a key
 * wrapper, the key's array and the value's array, each likely a cache miss when the table is large.
 *
 * <p>Open addressing with linear probing, kept at most half full; a removal shifts the rest of its
 * cluster back, so there are no tombstones. The hash is seeded per table, so keys that arrive from
 * outside (alert fingerprints) cannot be chosen to pile up in one cluster. Not thread-safe.
 */
final class EntryTable {
    private static final int MIN_CAPACITY = 16;
    private final int seed = ThreadLocalRandom.current().nextInt();
    private int[] hashes = new int[MIN_CAPACITY];
    private byte[][] entries = new byte[MIN_CAPACITY][];
    private int size;

    int size() {
        return size;
    }

    /** A copy of the value stored under {@code key}, or null. */
    byte[] get(byte[] key) {
        int slot = find(key, hash(key));
        return slot < 0 ? null : valueOf(entries[slot], key.length);
    }

    /** Stores {@code value} under {@code key}; true when the key was not there before. */
    boolean put(byte[] key, byte[] value) {
        int hash = hash(key);
        byte[] entry = new byte[4 + key.length + value.length];
        entry[0] = (byte) (key.length >>> 24);
        entry[1] = (byte) (key.length >>> 16);
        entry[2] = (byte) (key.length >>> 8);
        entry[3] = (byte) key.length;
        System.arraycopy(key, 0, entry, 4, key.length);
        System.arraycopy(value, 0, entry, 4 + key.length, value.length);
        int mask = entries.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            byte[] current = entries[i];
            if (current == null) {
                entries[i] = entry;
                hashes[i] = hash;
                size++;
                if (size * 2 > entries.length) {
                    resize(entries.length * 2);
                }
                return true;
            }
            if (hashes[i] == hash && sameKey(current, key)) {
                entries[i] = entry;
                return false;
            }
        }
    }

    /** Removes {@code key}; its value, or null when it was not there. */
    byte[] remove(byte[] key) {
        int slot = find(key, hash(key));
        if (slot < 0) {
            return null;
        }
        byte[] old = valueOf(entries[slot], key.length);
        int mask = entries.length - 1;
        int gap = slot;
        for (int j = (gap + 1) & mask; entries[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            // The entry at j may fill the gap when the gap lies on its probe path, from home up to j.
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                entries[gap] = entries[j];
                hashes[gap] = hashes[j];
                gap = j;
            }
        }
        entries[gap] = null;
        hashes[gap] = 0;
        size--;
        return old;
    }

    void clear() {
        hashes = new int[MIN_CAPACITY];
        entries = new byte[MIN_CAPACITY][];
        size = 0;
    }

    private int find(byte[] key, int hash) {
        int mask = entries.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            byte[] entry = entries[i];
            if (entry == null) {
                return -1;
            }
            if (hashes[i] == hash && sameKey(entry, key)) {
                return i;
            }
        }
    }

    private void resize(int capacity) {
        int[] oldHashes = hashes;
        byte[][] oldEntries = entries;
        hashes = new int[capacity];
        entries = new byte[capacity][];
        int mask = capacity - 1;
        for (int k = 0; k < oldEntries.length; k++) {
            if (oldEntries[k] != null) {
                int i = oldHashes[k] & mask;
                while (entries[i] != null) {
                    i = (i + 1) & mask;
                }
                entries[i] = oldEntries[k];
                hashes[i] = oldHashes[k];
            }
        }
    }

    private static boolean sameKey(byte[] entry, byte[] key) {
        int length = ((entry[0] & 0xff) << 24) | ((entry[1] & 0xff) << 16) | ((entry[2] & 0xff) << 8) | (entry[3] & 0xff);
        return length == key.length && Arrays.equals(entry, 4, 4 + length, key, 0, length);
    }

    private static byte[] valueOf(byte[] entry, int keyLength) {
        return Arrays.copyOfRange(entry, 4 + keyLength, entry.length);
    }

    private int hash(byte[] key) {
        int h = seed;
        for (byte b : key) {
            h = (h ^ b) * 0x9E3779B1;
        }
        h ^= h >>> 15;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }
}
