package dev.nightshift.triage.topology;

import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Incident;
import dev.nightshift.triage.lifecycle.FingerprintState;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a {@link FingerprintState}: a format version byte, the incident in Avro
 * binary, then the lifecycle fields in Avro's primitive encoding. A new field means a new version
 * byte, and the reader keeps reading the older ones.
 */
public final class FingerprintStateSerde implements Serde<FingerprintState> {
    private static final byte V1 = 1;
    private static final byte V2 = 2;
    private static final byte V3 = 3;
    static final byte V4 = 4;
    private static final AlertState[] ALERT_STATES = AlertState.values();
    private final AvroBinarySerde<Incident> incidents = new AvroBinarySerde<>(Incident.class);
    private final ByteArrayEncoder.Pool encoders = new ByteArrayEncoder.Pool();

    @Override
    public Serializer<FingerprintState> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<FingerprintState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    /** The stored form of {@code state}. */
    public byte[] write(FingerprintState state) {
        ByteArrayEncoder encoder = encoders.take();
        try {
            encoder.writeRaw(V4);
            encoder.writeBoolean(state.incident() != null);
            if (state.incident() != null) {
                incidents.write(state.incident(), encoder);
            }
            encoder.writeArrayStart();
            encoder.setItemCount(state.transitions().size());
            for (long t : state.transitions()) {
                encoder.startItem();
                encoder.writeLong(t);
            }
            encoder.writeArrayEnd();
            encoder.writeInt(state.lastAlertState() == null ? -1 : state.lastAlertState().ordinal());
            encoder.writeBoolean(state.outcomeEmitted());
            encoder.writeBoolean(state.playbookRequested());
            encoder.writeInt(state.automatedActions());
            encoder.writeBoolean(state.lastSucceededActionAt() != null);
            if (state.lastSucceededActionAt() != null) {
                encoder.writeLong(state.lastSucceededActionAt());
            }
            encoder.writeLong(state.lastPublishedAt());
            encoder.writeLong(state.lastHandledAt());
            encoder.writeArrayStart();
            encoder.setItemCount(state.countedRequests().size());
            for (String requestId : state.countedRequests()) {
                encoder.startItem();
                encoder.writeString(requestId);
            }
            encoder.writeArrayEnd();
            return encoder.toByteArray();
        } finally {
            encoders.give(encoder);
        }
    }

    /** The state stored as {@code bytes}. */
    public FingerprintState read(byte[] bytes) {
        if (bytes.length == 0 || (bytes[0] < V1 || bytes[0] > V4)) {
            throw new SerializationException("unknown fingerprint state format " + (bytes.length == 0 ? "(empty)" : bytes[0]));
        }
        ByteArrayDecoder decoder = new ByteArrayDecoder(bytes, 1, bytes.length - 1);
        try {
            Incident incident = decoder.readBoolean() ? incidents.read(decoder) : null;
            List<Long> transitions = new ArrayList<>();
            for (long n = decoder.readArrayStart(); n != 0; n = decoder.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    transitions.add(decoder.readLong());
                }
            }
            int lastState = decoder.readInt();
            boolean outcomeEmitted = decoder.readBoolean();
            boolean playbookRequested = decoder.readBoolean();
            int automatedActions = decoder.readInt();
            Long lastSucceeded = decoder.readBoolean() ? decoder.readLong() : null;
            long lastPublished = bytes[0] >= V2 ? decoder.readLong() : 0L;
            long lastHandled = bytes[0] >= V3 ? decoder.readLong() : 0L;
            List<String> counted = new ArrayList<>();
            if (bytes[0] >= V4) {
                for (long n = decoder.readArrayStart(); n != 0; n = decoder.arrayNext()) {
                    for (long i = 0; i < n; i++) {
                        counted.add(decoder.readString());
                    }
                }
            }
            return new FingerprintState(incident, transitions, lastState < 0 ? null : ALERT_STATES[lastState],
                    outcomeEmitted, playbookRequested, automatedActions, lastSucceeded, lastPublished, lastHandled, counted);
        } catch (IOException e) {
            throw new SerializationException("cannot read fingerprint state", e);
        }
    }
}
