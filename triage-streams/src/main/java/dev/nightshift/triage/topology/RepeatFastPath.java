package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Severity;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.triage.classify.Classification;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

import java.io.IOException;
import java.util.List;

/**
 * The lifecycle's most common step, applied to the stored bytes of a fingerprint's state instead of to
 * decoded objects: a <em>plain repeat</em>, a firing alert of an open incident whose classification and
 * owner are those the incident already has, within the interval in which repeats are not published on
 * {@code incidents} (so the alert's only output is its team record), that neither starts nor stops the incident
 * flapping and leaves no playbook step to request. Such a repeat changes a handful of the incident's fields
 * (occurrences, last alert, last seen, the alert's name, title, source and resource), the transitions kept and the
 * time it was handled; the new
 * state is the old bytes with those fields written anew, and the team record is written from the same bytes.
 * Neither decodes the incident nor builds it again, which is most of what triage's stream thread spends on an
 * alert beyond reading it and sending its records.
 *
 * <p>Anything else (a first alert, a resolve, a change of state, of classification or of owner, a repeat
 * due to be published, a state in an older format) returns {@code null} and goes through
 * {@link IncidentLifecycle#onAlert} as before. For the alerts it takes, the bytes are exactly those that path
 * writes: {@code RepeatFastPathTest} compares the two on random histories.
 */
final class RepeatFastPath {
    private static final Schema INCIDENT = Incident.getClassSchema();
    private static final Schema OWNER = INCIDENT.getField("owner").schema();
    private static final int INCIDENT_ID = pos("incidentId");
    private static final int STATE = pos("state");
    private static final int SOURCE = pos("source");
    private static final int NAME = pos("name");
    private static final int TITLE = pos("title");
    private static final int SEVERITY = pos("severity");
    private static final int CATEGORY = pos("category");
    private static final int OWNER_FIELD = pos("owner");
    private static final int RESOURCE = pos("resource");
    private static final int PLAYBOOK = pos("playbook");
    private static final int FLAPPING = pos("flapping");
    private static final int OCCURRENCES = pos("occurrences");
    private static final int TRANSITIONS = pos("transitions");
    private static final int LAST_ALERT_ID = pos("lastAlertId");
    private static final int CHANGE = pos("change");
    private static final int CLOSED_REASON = pos("closedReason");
    private static final int LAST_SEEN_AT = pos("lastSeenAt");
    private static final int ACKNOWLEDGED_AT = pos("acknowledgedAt");
    private static final int UPDATED_AT = pos("updatedAt");
    private static final int FIELDS = INCIDENT.getFields().size();
    /** The Avro enum index of each Java constant, by ordinal (the same as the ordinal for generated enums, but not assumed). */
    private static final int[] SOURCE_INDEX = enumIndexes(INCIDENT.getField("source").schema(), AlertSource.values());
    private static final int[] SEVERITY_INDEX = enumIndexes(INCIDENT.getField("severity").schema(), Severity.values());
    private static final int OPEN = INCIDENT.getField("state").schema().getEnumOrdinal(IncidentState.OPEN.name());
    private static final int ACKNOWLEDGED = INCIDENT.getField("state").schema().getEnumOrdinal(IncidentState.ACKNOWLEDGED.name());
    private static final int FIRING = AlertState.FIRING.ordinal();   // FingerprintStateSerde stores the ordinal
    private static final int UNKNOWN_SEVERITY = Severity.UNKNOWN.ordinal();

    static {
        List<String> team = List.of("incidentId", "incidentState", "change", "occurrences", "category", "severity", "owner",
                "playbook", "flapping", "links", "alert", "triagedAt");
        List<String> actual = TriagedAlert.getClassSchema().getFields().stream().map(Schema.Field::name).toList();
        if (!actual.equals(team)) {
            throw new IllegalStateException("TriagedAlert's fields changed (" + actual + "): RepeatFastPath writes them in the order " + team);
        }
        for (String field : List.of("title", "resource", "playbook")) {   // written as index 1 and read as "not index 0"
            List<Schema.Type> branches = INCIDENT.getField(field).schema().getTypes().stream().map(Schema::getType).toList();
            if (!branches.equals(List.of(Schema.Type.NULL, Schema.Type.STRING))) {
                throw new IllegalStateException("Incident." + field + " is no longer [null, string]: RepeatFastPath writes it as such");
            }
        }
        for (String field : List.of("incidentState", "severity", "owner", "playbook", "category")) {
            Schema inTeam = TriagedAlert.getClassSchema().getField(field).schema();
            Schema inIncident = INCIDENT.getField(field.equals("incidentState") ? "state" : field).schema();
            if (!inTeam.equals(inIncident)) {
                throw new IllegalStateException("TriagedAlert." + field + " is no longer of Incident's type: RepeatFastPath copies its bytes");
            }
        }
    }

    private final LifecycleSettings settings;
    private final IncidentLifecycle lifecycle;
    private final CompiledAvro.ValueWriter alertWriter = CompiledAvro.writerFor(Alert.getClassSchema()).orElseThrow();
    private final ByteArrayEncoder.Pool encoders = new ByteArrayEncoder.Pool();
    private final int[] offsets = new int[FIELDS + 1];
    /** The transitions kept from a state (the lifecycle keeps no more than flapTransitions; a state with more goes the long way). */
    private final long[] keptTransitions = new long[16];

    /** What a plain repeat writes: the fingerprint's new state and the team record's body (no framing). */
    record Repeat(byte[] state, EncodedTriagedAlert teamRecord) {
    }

    RepeatFastPath(IncidentLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.settings = lifecycle.settings();
    }

    /**
     * The state and team record for {@code alert} when it is a plain repeat of the incident stored as {@code stored},
     * else null. The arguments are those {@link IncidentLifecycle#onAlert} takes: {@code now} the alert's time,
     * {@code handledAt} the wall-clock time.
     */
    Repeat apply(byte[] stored, Alert alert, Classification classification, Owner owner, long now, long handledAt) {
        if (alert.getState() != AlertState.FIRING || settings.repeatPublishInterval().isZero()
                || stored.length < 2 || stored[0] != FingerprintStateSerde.V4 || stored[1] != 1) {
            return null;
        }
        try {
            return repeat(stored, alert, classification, owner, now, handledAt);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read fingerprint state", e);
        }
    }

    private Repeat repeat(byte[] b, Alert alert, Classification classification, Owner owner, long now, long handledAt) throws IOException {
        int end = fieldOffsets(b, 2);
        if (end > b.length) {
            throw new IOException("the incident runs past the end of the state");
        }
        ByteArrayDecoder in = new ByteArrayDecoder(b, end, b.length - end);
        int state = intAt(b, offsets[STATE]);
        if (state != OPEN && state != ACKNOWLEDGED) {
            return null;
        }
        // the lifecycle fields after the incident: transitions, last alert state, flags, counters, times, counted requests.
        // Transitions are kept as the lifecycle keeps them: those within the flap window, at most flapTransitions of
        // them (the oldest go first); the repeat must leave the incident as flapping, or not, as it was.
        long flapHorizon = now - settings.flapWindow().toMillis();
        int transitions = 0;
        int kept = 0;
        for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++) {
                long t = in.readLong();
                if (++transitions > keptTransitions.length) {
                    return null;   // more than the lifecycle ever keeps: let it tidy up
                }
                if (t >= flapHorizon) {
                    keptTransitions[kept++] = t;
                }
            }
        }
        while (kept > settings.flapTransitions()) {
            int oldest = 0;
            for (int i = 1; i < kept; i++) {
                if (keptTransitions[i] < keptTransitions[oldest]) {
                    oldest = i;
                }
            }
            System.arraycopy(keptTransitions, oldest + 1, keptTransitions, oldest, kept - oldest - 1);
            kept--;
        }
        boolean flapping = kept >= settings.flapTransitions();
        int afterTransitions = in.position();
        if (flapping != (b[offsets[FLAPPING]] != 0) || in.readInt() != FIRING) {
            return null;   // it starts or stops flapping, or the alert changes state
        }
        in.readBoolean();
        boolean playbookRequested = in.readBoolean();
        in.readInt();
        if (in.readBoolean()) {
            in.readLong();
        }
        long lastPublishedAt = in.readLong();
        int lastHandledAt = in.position();
        in.readLong();
        int afterLastHandled = in.position();
        if (now - lastPublishedAt >= settings.repeatPublishInterval().toMillis()) {
            return null;   // due to be published on incidents
        }
        // the incident keeps its severity, category, playbook and owner (the lifecycle's "coalesced" repeat)
        Severity severity = classification.severity();
        if (severity != Severity.UNKNOWN && SEVERITY_INDEX[severity.ordinal()] != intAt(b, offsets[SEVERITY])) {
            return null;
        }
        if (!Classification.UNCLASSIFIED.equals(classification.category())
                && !stringAt(b, offsets[CATEGORY], classification.category())) {
            return null;
        }
        String playbook = classification.playbook();
        boolean hasPlaybook = b[offsets[PLAYBOOK]] != 0;
        if (playbook != null && !(hasPlaybook && stringAt(b, offsets[PLAYBOOK] + 1, playbook))) {
            return null;
        }
        if (!ownerAt(b, offsets[OWNER_FIELD], owner)) {
            return null;
        }
        if (state == OPEN && !flapping && !playbookRequested && hasPlaybook) {
            ByteArrayDecoder name = new ByteArrayDecoder(b, offsets[PLAYBOOK] + 1, offsets[FLAPPING] - offsets[PLAYBOOK] - 1);
            if (lifecycle.knowsPlaybook(name.readString())) {
                return null;   // its first step is still to be requested
            }
        }
        long occurrences = longAt(b, offsets[OCCURRENCES]) + 1;

        byte[] newState;
        ByteArrayEncoder out = encoders.take();
        try {
            out.writeFixed(b, 0, offsets[SOURCE]);                                   // format, incident id, fingerprint, state
            out.writeEnum(SOURCE_INDEX[alert.getSource().ordinal()]);
            out.writeString(alert.getName());
            if (alert.getTitle() != null) {
                out.writeIndex(1);
                out.writeString(alert.getTitle());
            } else {
                copy(out, b, TITLE);
            }
            out.writeFixed(b, offsets[SEVERITY], offsets[RESOURCE] - offsets[SEVERITY]);   // severity, category, owner
            if (alert.getResource() != null) {
                out.writeIndex(1);
                out.writeString(alert.getResource());
            } else {
                copy(out, b, RESOURCE);
            }
            out.writeFixed(b, offsets[PLAYBOOK], offsets[OCCURRENCES] - offsets[PLAYBOOK]); // playbook, flapping
            out.writeLong(occurrences);
            out.writeFixed(b, offsets[TRANSITIONS], offsets[LAST_ALERT_ID] - offsets[TRANSITIONS]); // transitions, reopens
            out.writeString(alert.getAlertId());
            out.writeString(IncidentLifecycle.REPEATED);
            out.writeFixed(b, offsets[CLOSED_REASON], offsets[LAST_SEEN_AT] - offsets[CLOSED_REASON]); // reason, version, opened
            out.writeLong(now);
            out.writeFixed(b, offsets[ACKNOWLEDGED_AT], offsets[UPDATED_AT] - offsets[ACKNOWLEDGED_AT]); // ack, action, resolve
            out.writeLong(now);
            if (kept == transitions) {
                out.writeFixed(b, offsets[FIELDS], lastHandledAt - offsets[FIELDS]);
            } else {
                out.writeArrayStart();
                out.setItemCount(kept);
                for (int i = 0; i < kept; i++) {
                    out.startItem();
                    out.writeLong(keptTransitions[i]);
                }
                out.writeArrayEnd();
                out.writeFixed(b, afterTransitions, lastHandledAt - afterTransitions);
            }
            out.writeLong(handledAt);
            out.writeFixed(b, afterLastHandled, b.length - afterLastHandled);
            newState = out.toByteArray();

            out.reset();
            copy(out, b, INCIDENT_ID);
            copy(out, b, STATE);
            out.writeString(IncidentLifecycle.REPEATED);
            out.writeLong(occurrences);
            copy(out, b, CATEGORY);
            copy(out, b, SEVERITY);
            copy(out, b, OWNER_FIELD);
            copy(out, b, PLAYBOOK);
            out.writeBoolean(flapping);
            List<String> links = IncidentLifecycle.links(alert);
            out.writeArrayStart();
            out.setItemCount(links.size());
            for (String link : links) {
                out.startItem();
                out.writeString(link);
            }
            out.writeArrayEnd();
            alertWriter.write(alert, out);
            out.writeLong(now);
            String incidentId = new ByteArrayDecoder(b, offsets[INCIDENT_ID], offsets[INCIDENT_ID + 1] - offsets[INCIDENT_ID]).readString();
            return new Repeat(newState, new EncodedTriagedAlert(incidentId, owner, out.toByteArray()));
        } finally {
            encoders.give(out);
        }
    }

    private void copy(ByteArrayEncoder out, byte[] b, int field) {
        out.writeFixed(b, offsets[field], offsets[field + 1] - offsets[field]);
    }

    /** Whether the Owner record at {@code at} holds {@code owner}'s values. */
    private static boolean ownerAt(byte[] b, int at, Owner owner) throws IOException {
        ByteArrayDecoder in = new ByteArrayDecoder(b, at, b.length - at);
        for (Schema.Field field : OWNER.getFields()) {
            Object value = owner.get(field.pos());
            int start = in.position();
            if (field.schema().getType() == Schema.Type.UNION) {
                boolean present = field.schema().getTypes().get(in.readIndex()).getType() != Schema.Type.NULL;
                if (present != (value != null)) {
                    return false;
                }
                if (!present) {
                    continue;
                }
                start = in.position();
            }
            in.skipString();
            if (!stringAt(b, start, (String) value)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the Avro string at {@code at} is {@code expected}. */
    private static boolean stringAt(byte[] b, int at, String expected) throws IOException {
        ByteArrayDecoder in = new ByteArrayDecoder(b, at, b.length - at);
        int length = in.readInt();
        int start = in.position();
        int chars = expected.length();
        if (length == chars) {   // ASCII, the usual case: compare characters to bytes
            boolean ascii = true;
            for (int i = 0; i < chars; i++) {
                char c = expected.charAt(i);
                if (c >= 0x80) {
                    ascii = false;
                    break;
                }
                if (b[start + i] != (byte) c) {
                    return false;
                }
            }
            if (ascii) {
                return true;
            }
        }
        byte[] utf8 = expected.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.equals(utf8, 0, utf8.length, b, start, start + length);
    }

    private static int intAt(byte[] b, int at) throws IOException {
        return new ByteArrayDecoder(b, at, b.length - at).readInt();
    }

    private static long longAt(byte[] b, int at) throws IOException {
        return new ByteArrayDecoder(b, at, b.length - at).readLong();
    }

    /**
     * Records where each of the incident's fields starts in {@code b} (the incident starting at {@code at}) and
     * returns where it ends, by walking the bytes with {@link #PARTS}. A corrupt state throws (an index out of
     * bounds, or an {@link IOException} for a union index or length that cannot be).
     */
    private int fieldOffsets(byte[] b, int at) throws IOException {
        int p = at;
        for (int field = 0; field < FIELDS; field++) {
            offsets[field] = p;
            for (byte part : PARTS[field]) {
                boolean present = true;
                if (part >= OPTIONAL) {
                    byte index = b[p++];   // zigzag 0 or 1, one byte: null first, then the value
                    if (index != 0 && index != 2) {
                        throw new IOException("invalid union index at " + (p - 1));
                    }
                    present = index == 2;
                    part -= OPTIONAL;
                }
                if (!present) {
                    continue;
                }
                if (part == BOOLEAN) {
                    p++;
                } else {
                    int start = p;
                    long value = 0;
                    for (int shift = 0; ; shift += 7) {
                        byte x = b[p++];
                        value |= (long) (x & 0x7F) << shift;
                        if (x >= 0) {
                            break;
                        }
                        if (p - start == 10) {
                            throw new IOException("invalid varint at " + start);
                        }
                    }
                    if (part == STRING) {
                        long length = (value >>> 1) ^ -(value & 1);
                        if (length < 0 || length > b.length - p) {
                            throw new IOException("invalid string length at " + start);
                        }
                        p += (int) length;
                    }
                }
            }
        }
        offsets[FIELDS] = p;
        return p;
    }

    /** The parts of a field's value, in order: a varint (int, long, enum), a string, a boolean, or one of these or nothing. */
    private static final byte VARINT = 0;
    private static final byte STRING = 1;
    private static final byte BOOLEAN = 2;
    private static final byte OPTIONAL = 3;
    /** The parts of each of the incident's fields (the owner record's fields one after the other). */
    private static final byte[][] PARTS = INCIDENT.getFields().stream().map(f -> parts(f.schema())).toArray(byte[][]::new);

    private static byte[] parts(Schema schema) {
        java.io.ByteArrayOutputStream parts = new java.io.ByteArrayOutputStream();
        addParts(schema, parts);
        return parts.toByteArray();
    }

    private static void addParts(Schema schema, java.io.ByteArrayOutputStream parts) {
        switch (schema.getType()) {
            case STRING -> parts.write(STRING);
            case INT, LONG, ENUM -> parts.write(VARINT);
            case BOOLEAN -> parts.write(BOOLEAN);
            case RECORD -> schema.getFields().forEach(f -> addParts(f.schema(), parts));
            case UNION -> {
                List<Schema> branches = schema.getTypes();
                if (branches.size() != 2 || branches.get(0).getType() != Schema.Type.NULL
                        || !List.of(Schema.Type.STRING, Schema.Type.INT, Schema.Type.LONG).contains(branches.get(1).getType())) {
                    throw new IllegalStateException("RepeatFastPath reads unions of null and a string or number, not " + schema);
                }
                parts.write(OPTIONAL + (branches.get(1).getType() == Schema.Type.STRING ? STRING : VARINT));
            }
            default -> throw new IllegalStateException("RepeatFastPath does not read " + schema.getType() + " fields of Incident");
        }
    }

    private static int pos(String field) {
        return INCIDENT.getField(field).pos();
    }

    private static int[] enumIndexes(Schema schema, Enum<?>[] constants) {
        int[] indexes = new int[constants.length];
        for (Enum<?> constant : constants) {
            indexes[constant.ordinal()] = schema.getEnumOrdinal(constant.name());
        }
        return indexes;
    }
}
