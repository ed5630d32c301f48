package dev.nightshift.ingest.auth;

import dev.nightshift.ingest.IngestSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API keys each source accepts, held only as SHA-256 digests. A presented key is hashed and
 * compared with every digest of its source in constant time, so neither the outcome nor the time
 * taken tells which digest came close. Several digests per source let a key be rotated without
 * downtime.
 */
public final class ApiKeys {
    private static final HexFormat HEX = HexFormat.of();

    private final Map<IngestSource, List<byte[]>> digests;

    private ApiKeys(Map<IngestSource, List<byte[]>> digests) {
        this.digests = digests;
    }

    /** Starts an empty set of keys. */
    public static Builder builder() {
        return new Builder();
    }

    /** The SHA-256 hex digest of a key, as configuration stores it. */
    public static String sha256Hex(String key) {
        return HEX.formatHex(sha256(key));
    }

    /** Whether any source has a key at all. */
    public boolean isEmpty() {
        return digests.values().stream().allMatch(List::isEmpty);
    }

    /**
     * The id of the key (a short prefix of its digest, safe to log) when the presented key is one of
     * the source's keys; empty otherwise.
     */
    public Optional<String> match(IngestSource source, String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        byte[] found = null;
        for (byte[] candidate : digests.getOrDefault(source, List.of())) {
            if (MessageDigest.isEqual(candidate, digest)) {
                found = candidate;
            }
        }
        return found == null ? Optional.empty() : Optional.of("key-" + HEX.formatHex(found, 0, 4));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Collects digests per source. */
    public static final class Builder {
        private final Map<IngestSource, List<byte[]>> digests = new EnumMap<>(IngestSource.class);

        private Builder() {
            for (IngestSource source : IngestSource.values()) {
                digests.put(source, new ArrayList<>());
            }
        }

        /** A plain key valid for every source (hashed here; the plain text is not kept). */
        public Builder plainKeyForAll(String key) {
            if (key != null && !key.isBlank()) {
                byte[] digest = sha256(key.trim());
                digests.values().forEach(list -> list.add(digest));
            }
            return this;
        }

        /** A SHA-256 hex digest valid for every source. */
        public Builder digestForAll(String hex) {
            for (IngestSource source : IngestSource.values()) {
                digest(source, hex);
            }
            return this;
        }

        /** A SHA-256 hex digest valid for one source. */
        public Builder digest(IngestSource source, String hex) {
            if (hex == null || hex.isBlank()) {
                return this;
            }
            String clean = hex.trim().toLowerCase(java.util.Locale.ROOT);
            if (clean.startsWith("sha256:")) {
                clean = clean.substring("sha256:".length());
            }
            if (!clean.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("a key digest for " + source.configName()
                        + " is not a SHA-256 hex digest (64 hex digits)");
            }
            digests.get(source).add(HEX.parseHex(clean));
            return this;
        }

        public ApiKeys build() {
            Map<IngestSource, List<byte[]>> copy = new EnumMap<>(IngestSource.class);
            digests.forEach((source, list) -> copy.put(source, List.copyOf(list)));
            return new ApiKeys(copy);
        }
    }
}
