package dev.nightshift.ingest.auth;

import dev.nightshift.ingest.IngestSource;

import dev.nightshift.auth.KeyDigests;

import java.util.ArrayList;
import java.util.EnumMap;
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
        return KeyDigests.sha256Hex(key);
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
        return KeyDigests.match(digests.getOrDefault(source, List.of()), presented);
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
                byte[] digest = KeyDigests.sha256(key.trim());
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
            digests.get(source).add(KeyDigests.parse(hex, "a key digest for " + source.configName()));
            return this;
        }

        public ApiKeys build() {
            Map<IngestSource, List<byte[]>> copy = new EnumMap<>(IngestSource.class);
            digests.forEach((source, list) -> copy.put(source, List.copyOf(list)));
            return new ApiKeys(copy);
        }
    }
}
