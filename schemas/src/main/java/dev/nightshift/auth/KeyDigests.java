package dev.nightshift.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Keys held only as their SHA-256 digests (the services' API keys, the operators' key). A presented
 * key is hashed and compared with every digest in constant time, so neither the answer nor the time
 * it takes tells which digest came close; several digests let a key be rotated without downtime.
 */
public final class KeyDigests {
    private static final HexFormat HEX = HexFormat.of();
    private final List<byte[]> digests;

    private KeyDigests(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /** The digests given as hex (optionally {@code sha256:}-prefixed); {@code what} names the setting in an error, never the value. */
    public static KeyDigests ofHex(Collection<String> hex, String what) {
        List<byte[]> digests = new ArrayList<>();
        for (String digest : hex) {
            if (digest != null && !digest.isBlank()) {
                digests.add(parse(digest, what));
            }
        }
        return new KeyDigests(digests);
    }

    /** A SHA-256 hex digest as bytes; refused, naming {@code what} but not the value, when it is not one. */
    public static byte[] parse(String hex, String what) {
        String clean = hex.trim().toLowerCase(Locale.ROOT);
        if (clean.startsWith("sha256:")) {
            clean = clean.substring("sha256:".length());
        }
        if (!clean.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(what + " is not a SHA-256 hex digest (64 hex digits)");
        }
        return HEX.parseHex(clean);
    }

    /** The SHA-256 hex digest of a key, as configuration stores it. */
    public static String sha256Hex(String key) {
        return HEX.formatHex(sha256(key));
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The id of the matching key (a short prefix of its digest, safe to log) when {@code presented} hashes to one of
     * {@code digests}; empty otherwise. Every digest is compared, in constant time.
     */
    public static Optional<String> match(List<byte[]> digests, String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        byte[] found = null;
        for (byte[] candidate : digests) {
            if (MessageDigest.isEqual(candidate, digest)) {
                found = candidate;
            }
        }
        return found == null ? Optional.empty() : Optional.of("key-" + HEX.formatHex(found, 0, 4));
    }

    public Optional<String> match(String presented) {
        return match(digests, presented);
    }

    public boolean isEmpty() {
        return digests.isEmpty();
    }
}
