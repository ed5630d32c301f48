package dev.nightshift.ingest.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of one source ({@code nightshift.ingest.sources.<source>.key-sha256}, env
 * {@code NIGHTSHIFT_INGEST_SOURCES_<SOURCE>_KEY_SHA256}: SHA-256 hex digests, comma-separated or a
 * list); source is one of generic, cloudwatch, datadog, alertmanager. Two
 * digests at once let a key be rotated without downtime. Default: none (only the keys valid for
 * every endpoint apply).
 */
@EachProperty("nightshift.ingest.sources")
public class SourceConfig {
    private final String name;
    private List<String> keySha256 = new ArrayList<>();

    public SourceConfig(@Parameter String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public List<String> getKeySha256() {
        return keySha256;
    }

    public void setKeySha256(List<String> keySha256) {
        this.keySha256 = keySha256;
    }
}
