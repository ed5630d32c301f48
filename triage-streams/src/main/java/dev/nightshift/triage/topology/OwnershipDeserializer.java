package dev.nightshift.triage.topology;

import dev.nightshift.schema.Ownership;
import dev.nightshift.serde.SchemaRegistryException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The {@code ownership} topic's value deserializer. It runs on the global store's thread, which Streams
 * cannot replace: a schema registry that thread cannot reach (while it reads a record of a schema it has
 * not seen) would fail it and stop the whole app. So once the app runs, such a record is tried again after
 * a pause that doubles up to {@link #MAX_PAUSE}, for as long as the registry stays away: alerts are routed
 * with the ownership as it stands meanwhile, {@code /health} says since when updates wait, and the change
 * applies when the registry answers. Before the app first runs and once it closes the error goes through,
 * as does any error that is the record's own (the dead-letter handler skips those).
 */
final class OwnershipDeserializer implements Deserializer<Ownership> {
    static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(OwnershipDeserializer.class);

    private final Deserializer<Ownership> registry;
    private final LiveOwnership live;

    OwnershipDeserializer(Deserializer<Ownership> registry, LiveOwnership live) {
        this.registry = registry;
        this.live = live;
    }

    @Override
    public Ownership deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public Ownership deserialize(String topic, Headers headers, byte[] data) {
        long pause = FIRST_PAUSE.toMillis();
        while (true) {
            try {
                Ownership ownership = headers == null ? registry.deserialize(topic, data) : registry.deserialize(topic, headers, data);
                live.registryAnswered();
                return ownership;
            } catch (RuntimeException e) {
                if (!SchemaRegistryException.isRegistryTrouble(e)) {
                    throw e;
                }
                LOG.warn("an ownership record of {} cannot be read while the schema registry is unavailable; alerts are routed "
                        + "with the ownership as it stands, next try in {} ms: {}", topic, pause, e.getMessage());
                if (!live.pauseForRegistry(pause)) {
                    throw e;
                }
                pause = Math.min(pause * 2, MAX_PAUSE.toMillis());
            }
        }
    }
}
