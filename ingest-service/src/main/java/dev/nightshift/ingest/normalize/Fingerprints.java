package dev.nightshift.ingest.normalize;

import dev.nightshift.schema.AlertSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fingerprint of an alert: a SHA-256 of its source and its identity (never its state), so
 * that every notification about one condition carries the same fingerprint. Parts are
 * length-prefixed so that ("ab", "c") and ("a", "bc") differ; labels are sorted by name.
 */
public final class Fingerprints {
    private final MessageDigest digest;

    private Fingerprints(AlertSource source) {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        part(source.name());
    }

    public static Fingerprints of(AlertSource source) {
        return new Fingerprints(source);
    }

    /** Adds one part of the identity; null and empty are distinct from each other. */
    public Fingerprints part(String value) {
        if (value == null) {
            digest.update((byte) 0);
            return this;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) 1);
        digest.update(new byte[]{(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
                (byte) (bytes.length >>> 8), (byte) bytes.length});
        digest.update(bytes);
        return this;
    }

    /** Adds a label set, in name order. */
    public Fingerprints labels(Map<String, String> labels) {
        Map<String, String> sorted = labels instanceof TreeMap<String, String> tree ? tree : new TreeMap<>(labels);
        part(Integer.toString(sorted.size()));
        sorted.forEach((name, value) -> {
            part(name);
            part(value);
        });
        return this;
    }

    /** 32 hex digits (128 bits of the digest). */
    public String build() {
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }
}
