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
 * The lifecycle's most common steps, applied to the stored bytes of a fingerprint's state instead of to decoded
 * objects:
 * <ul>
 *   <li>a <em>plain repeat</em>: a firing alert of an open incident whose classification and owner are those the
 *   incident already has, within the interval in which repeats are not published on {@code incidents} (so the
 *   alert's only output is its team record), that neither starts nor stops the incident flapping and leaves no
 *   playbook step to request. It changes a handful of the incident's fields (occurrences, last alert, last seen,
 *   the alert's name, title, source and resource), the transitions kept and the time it was handled;</li>
 *   <li>a <em>resolve</em> of an open incident, when there is a reopen window (so the incident is not closed yet);</li>
 *   <li>a <em>reopen</em>: a firing alert of a resolved incident within its reopen window that leaves no playbook
 *   step to request.</li>
 * </ul>
 * The new state is the old bytes with the fields that change written anew and the rest copied. The team record is
 * written from the new state's bytes, and a resolve's or reopen's new version of the incident on {@code incidents}
 * is the incident inside the new state, copied as it is. None of them decodes the incident or builds it again,
 * which is most of what triage's stream thread spends on an alert beyond reading it and sending its records.
 *
 * <p>Anything else (a first alert, a new incident after the reopen window, a change of classification or owner
 * on a repeat, a repeat due to be published, a step that requests a playbook or closes the incident, a state in an
 * older format) returns {@code null} and goes through {@link IncidentLifecycle#onAlert} as before. For the alerts
 * it takes, the bytes are exactly those that path writes: {@code LifecycleFastPathTest} compares the two on random
 * histories.
 */
final class LifecycleFastPath {
    private static final Schema INCIDENT = Incident.getClassSchema();
    private static final Schema OWNER = INCIDENT.getField("owner").schema();
    private static final int INCIDENT_ID = pos("incidentId");
    private static final int STATE = pos("state");
    private static final int TITLE = pos("title");
    private static final int SEVERITY = pos("severity");
    private static final int CATEGORY = pos("category");
    private static final int OWNER_FIELD = pos("owner");
    private static final int RESOURCE = pos("resource");
    private static final int SOURCE = pos("source");
    private static final int NAME = pos("name");
    private static final int LAST_ALERT_ID = pos("lastAlertId");
    private static final int LAST_SEEN_AT = pos("lastSeenAt");
    private static final int UPDATED_AT = pos("updatedAt");
    private static final int PLAYBOOK = pos("playbook");
    private static final int FLAPPING = pos("flapping");
    private static final int OCCURRENCES = pos("occurrences");
    private static final int TRANSITIONS = pos("transitions");
    private static final int REOPEN_COUNT = pos("reopenCount");
    private static final int CHANGE = pos("change");
    private static final int CLOSED_REASON = pos("closedReason");
    private static final int VERSION = pos("version");
    private static final int OPENED_AT = pos("openedAt");
    private static final int ACKNOWLEDGED_AT = pos("acknowledgedAt");
    private static final int RESOLVED_AT = pos("resolvedAt");
    private static final int FIELDS = INCIDENT.getFields().size();
    /** Which of the owner record's fields (all strings, checked with the PARTS below) may be null. */
    private static final boolean[] OWNER_OPTIONAL = new boolean[OWNER.getFields().size()];
    static {
        for (Schema.Field field : OWNER.getFields()) {
            OWNER_OPTIONAL[field.pos()] = field.schema().getType() == Schema.Type.UNION;
        }
    }
    /** The Avro enum index of each Java constant, by ordinal (the same as the ordinal for generated enums, but not assumed). */
    private static final int[] SOURCE_INDEX = enumIndexes(INCIDENT.getField("source").schema(), AlertSource.values());
    private static final int[] SEVERITY_INDEX = enumIndexes(INCIDENT.getField("severity").schema(), Severity.values());
    private static final int OPEN = INCIDENT.getField("state").schema().getEnumOrdinal(IncidentState.OPEN.name());
    private static final int ACKNOWLEDGED = INCIDENT.getField("state").schema().getEnumOrdinal(IncidentState.ACKNOWLEDGED.name());
    private static final int RESOLVED = INCIDENT.getField("state").schema().getEnumOrdinal(IncidentState.RESOLVED.name());
    private static final int FIRING = AlertState.FIRING.ordinal();   // FingerprintStateSerde stores the ordinal
    private static final int NO_ALERT_STATE = -1;                     // and -1 for none
    private static final int MAX_TRANSITIONS = 16;

    static {
        List<String> team = List.of("incidentId", "incidentState", "change", "occurrences", "category", "severity", "owner",
                "playbook", "flapping", "links", "alert", "triagedAt");
        List<String> actual = TriagedAlert.getClassSchema().getFields().stream().map(Schema.Field::name).toList();
        if (!actual.equals(team)) {
            throw new IllegalStateException("TriagedAlert's fields changed (" + actual + "): LifecycleFastPath writes them in the order " + team);
        }
        List<String> incident = List.of("incidentId", "fingerprint", "state", "source", "name", "title", "severity", "category",
                "owner", "resource", "playbook", "flapping", "occurrences", "transitions", "reopenCount", "lastAlertId", "change",
                "closedReason", "version", "openedAt", "lastSeenAt", "acknowledgedAt", "firstActionAt", "resolvedAt", "updatedAt");
        if (!INCIDENT.getFields().stream().map(Schema.Field::name).toList().equals(incident)) {
            throw new IllegalStateException("Incident's fields changed: LifecycleFastPath writes them in the order " + incident);
        }
        for (String field : List.of("title", "resource", "playbook", "closedReason")) {   // written as index 1 and read as "not index 0"
            List<Schema.Type> branches = INCIDENT.getField(field).schema().getTypes().stream().map(Schema::getType).toList();
            if (!branches.equals(List.of(Schema.Type.NULL, Schema.Type.STRING))) {
                throw new IllegalStateException("Incident." + field + " is no longer [null, string]: LifecycleFastPath writes it as such");
            }
        }
        if (!INCIDENT.getField("resolvedAt").schema().getTypes().get(0).getType().equals(Schema.Type.NULL)) {
            throw new IllegalStateException("Incident.resolvedAt is no longer [null, timestamp]: LifecycleFastPath writes it as such");
        }
        for (String field : List.of("incidentState", "severity", "owner", "playbook", "category")) {
            Schema inTeam = TriagedAlert.getClassSchema().getField(field).schema();
            Schema inIncident = INCIDENT.getField(field.equals("incidentState") ? "state" : field).schema();
            if (!inTeam.equals(inIncident)) {
                throw new IllegalStateException("TriagedAlert." + field + " is no longer of Incident's type: LifecycleFastPath copies its bytes");
            }
        }
    }

    private enum Kind { REPEAT, RESOLVE, REOPEN }

    private final LifecycleSettings settings;
    private final IncidentLifecycle lifecycle;
    private final CompiledAvro.ValueWriter alertWriter = CompiledAvro.writerFor(Alert.getClassSchema()).orElseThrow();
    private final CompiledAvro.ValueWriter ownerWriter = CompiledAvro.writerFor(OWNER).orElseThrow();
    private final ByteArrayEncoder.Pool encoders = new ByteArrayEncoder.Pool();
    /** Where each of the incident's fields starts in the stored state, and in the new one. */
    private final int[] offsets = new int[FIELDS + 1];
    private final int[] written = new int[FIELDS + 1];
    /** The transitions kept from a state and the alert's own (the lifecycle keeps no more than flapTransitions; a state with more goes the long way). */
    private final long[] keptTransitions = new long[MAX_TRANSITIONS + 1];

    /**
     * What a step writes: the fingerprint's new state, the new version of the incident for {@code incidents} (null
     * for a repeat, which publishes none) and the team record.
     */
    record Step(byte[] state, EncodedOutputs.IncidentVersion incident, EncodedOutputs.TeamRecord teamRecord) {
    }

    LifecycleFastPath(IncidentLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.settings = lifecycle.settings();
    }

    /**
     * The new state and outputs for {@code alert} when it is a step this path takes for the state stored as
     * {@code stored}, else null. The arguments are those {@link IncidentLifecycle#onAlert} takes: {@code now} the
     * alert's time, {@code handledAt} the wall-clock time.
     */
    Step apply(byte[] stored, Alert alert, Classification classification, Owner owner, long now, long handledAt) {
        if ((alert.getState() != AlertState.FIRING && alert.getState() != AlertState.RESOLVED)
                || stored.length < 2 || stored[0] != FingerprintStateSerde.V4 || stored[1] != 1) {
            return null;
        }
        try {
            return step(stored, alert, classification, owner, now, handledAt);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read fingerprint state", e);
        }
    }

    private Step step(byte[] b, Alert alert, Classification classification, Owner owner, long now, long handledAt) throws IOException {
        int end = fieldOffsets(b, 2, offsets);
        if (end > b.length) {
            throw new IOException("the incident runs past the end of the state");
        }
        // the lifecycle fields after the incident: transitions, last alert state, flags, counters, times, counted requests
        ByteArrayDecoder in = new ByteArrayDecoder(b, end, b.length - end);
        int transitions = 0;
        for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++) {
                if (transitions == MAX_TRANSITIONS) {
                    return null;   // more than the lifecycle ever keeps: let it tidy up
                }
                keptTransitions[transitions++] = in.readLong();
            }
        }
        int afterTransitions = in.position();
        int lastAlertState = in.readInt();
        int afterLastAlertState = in.position();
        boolean outcomeEmitted = in.readBoolean();
        boolean playbookRequested = in.readBoolean();
        in.readInt();
        if (in.readBoolean()) {
            in.readLong();
        }
        int lastPublished = in.position();
        long lastPublishedAt = in.readLong();
        in.readLong();   // last handled
        int afterLastHandled = in.position();

        int alertState = alert.getState().ordinal();
        int state = intAt(b, offsets[STATE]);
        boolean open = state == OPEN || state == ACKNOWLEDGED;
        Kind kind;
        if (alertState == FIRING && open) {
            kind = Kind.REPEAT;
        } else if (alertState != FIRING && open) {
            kind = Kind.RESOLVE;
            if (settings.reopenWindow().isZero()) {
                return null;   // the resolve closes the incident: its outcome is the lifecycle's to write
            }
        } else if (alertState == FIRING && state == RESOLVED && !outcomeEmitted && b[offsets[RESOLVED_AT]] != 0
                && now - longAt(b, offsets[RESOLVED_AT] + 1) < settings.reopenWindow().toMillis()) {
            kind = Kind.REOPEN;
        } else {
            return null;
        }

        // Transitions are kept as the lifecycle keeps them: the alert's own if it changes state, those within the
        // flap window, at most flapTransitions of them (the oldest go first).
        boolean transition = lastAlertState != NO_ALERT_STATE && lastAlertState != alertState;
        int storedTransitions = transitions;
        if (transition) {
            keptTransitions[transitions++] = now;
        }
        long flapHorizon = now - settings.flapWindow().toMillis();
        int kept = 0;
        for (int i = 0; i < transitions; i++) {
            if (keptTransitions[i] >= flapHorizon) {
                keptTransitions[kept++] = keptTransitions[i];
            }
        }
        boolean unchangedTransitions = kept == storedTransitions && !transition;
        while (kept > settings.flapTransitions()) {
            int oldest = 0;
            for (int i = 1; i < kept; i++) {
                if (keptTransitions[i] < keptTransitions[oldest]) {
                    oldest = i;
                }
            }
            System.arraycopy(keptTransitions, oldest + 1, keptTransitions, oldest, kept - oldest - 1);
            kept--;
            unchangedTransitions = false;
        }
        boolean flapping = kept >= settings.flapTransitions();
        boolean wasFlapping = b[offsets[FLAPPING]] != 0;

        if (kind == Kind.REPEAT) {
            if (flapping != wasFlapping || transition || settings.repeatPublishInterval().isZero()
                    || now - lastPublishedAt >= settings.repeatPublishInterval().toMillis()
                    || !coalesces(b, classification, owner)) {
                return null;   // it starts or stops flapping, changes state, is due on incidents or changes the incident
            }
        }
        // A later alert of the same incident often carries no severity, category or playbook of its own: the incident
        // keeps what it had (the lifecycle's "continuing").
        Severity severity = classification.severity() == Severity.UNKNOWN ? null : classification.severity();
        String category = Classification.UNCLASSIFIED.equals(classification.category()) ? null : classification.category();
        String playbook = classification.playbook();
        boolean openAfter = kind == Kind.REOPEN || kind == Kind.REPEAT && state == OPEN;
        if (openAfter && !flapping && !playbookRequested) {
            // an open incident that does not flap asks for its playbook's first step once
            String name = playbook;
            if (name == null && b[offsets[PLAYBOOK]] != 0) {
                name = new ByteArrayDecoder(b, offsets[PLAYBOOK] + 1, offsets[FLAPPING] - offsets[PLAYBOOK] - 1).readString();
            }
            if (name != null && lifecycle.knowsPlaybook(name)) {
                return null;   // its first step is still to be requested
            }
        }
        String change = switch (kind) {
            case REPEAT -> IncidentLifecycle.REPEATED;
            case RESOLVE -> IncidentLifecycle.RESOLVED;
            case REOPEN -> flapping && !wasFlapping ? IncidentLifecycle.FLAPPING : IncidentLifecycle.REOPENED;
        };

        byte[] newState;
        ByteArrayEncoder out = encoders.take();
        try {
            out.writeFixed(b, 0, 2);                                                   // format
            copyFields(out, b, INCIDENT_ID, STATE);                                    // incident id, fingerprint
            if (kind == Kind.REPEAT) {
                copyFields(out, b, STATE, STATE + 1);
            } else {
                mark(out, STATE);
                out.writeEnum(kind == Kind.RESOLVE ? RESOLVED : OPEN);
            }
            mark(out, SOURCE);
            out.writeEnum(SOURCE_INDEX[alert.getSource().ordinal()]);
            mark(out, NAME);
            out.writeString(alert.getName());
            optionalOrKept(out, b, alert.getTitle(), TITLE);
            if (kind == Kind.REPEAT) {
                copyFields(out, b, SEVERITY, RESOURCE);                                // severity, category, owner
            } else {
                mark(out, SEVERITY);
                if (severity == null) {
                    copy(out, b, SEVERITY);
                } else {
                    out.writeEnum(SEVERITY_INDEX[severity.ordinal()]);
                }
                mark(out, CATEGORY);
                if (category == null) {
                    copy(out, b, CATEGORY);
                } else {
                    out.writeString(category);
                }
                mark(out, OWNER_FIELD);
                ownerWriter.write(owner, out);
            }
            optionalOrKept(out, b, alert.getResource(), RESOURCE);
            optionalOrKept(out, b, kind == Kind.REPEAT ? null : playbook, PLAYBOOK);
            mark(out, FLAPPING);
            out.writeBoolean(flapping);
            long occurrences = longAt(b, offsets[OCCURRENCES]);
            mark(out, OCCURRENCES);
            out.writeLong(kind == Kind.RESOLVE ? occurrences : occurrences + 1);
            mark(out, TRANSITIONS);
            out.writeInt(intAt(b, offsets[TRANSITIONS]) + (transition ? 1 : 0));
            int reopens = intAt(b, offsets[REOPEN_COUNT]);
            mark(out, REOPEN_COUNT);
            out.writeInt(kind == Kind.REOPEN ? reopens + 1 : reopens);
            mark(out, LAST_ALERT_ID);
            out.writeString(alert.getAlertId());
            mark(out, CHANGE);
            out.writeString(change);
            mark(out, CLOSED_REASON);
            switch (kind) {
                case REPEAT -> copy(out, b, CLOSED_REASON);
                case RESOLVE -> {
                    out.writeIndex(1);
                    out.writeString(IncidentLifecycle.RESOLVED_AT_SOURCE);
                }
                case REOPEN -> out.writeIndex(0);
            }
            long version = longAt(b, offsets[VERSION]);
            mark(out, VERSION);
            out.writeLong(kind == Kind.REPEAT ? version : version + 1);   // a plain repeat is not a new version
            copyFields(out, b, OPENED_AT, OPENED_AT + 1);
            mark(out, LAST_SEEN_AT);
            out.writeLong(now);
            copyFields(out, b, ACKNOWLEDGED_AT, RESOLVED_AT);                          // acknowledged, first action
            mark(out, RESOLVED_AT);
            switch (kind) {
                case REPEAT -> copy(out, b, RESOLVED_AT);
                case RESOLVE -> {
                    out.writeIndex(1);
                    out.writeLong(now);
                }
                case REOPEN -> out.writeIndex(0);
            }
            mark(out, UPDATED_AT);
            out.writeLong(now);
            mark(out, FIELDS);                                                         // the incident's end
            if (unchangedTransitions) {
                out.writeFixed(b, offsets[FIELDS], afterTransitions - offsets[FIELDS]);
            } else {
                out.writeArrayStart();
                out.setItemCount(kept);
                for (int i = 0; i < kept; i++) {
                    out.startItem();
                    out.writeLong(keptTransitions[i]);
                }
                out.writeArrayEnd();
            }
            out.writeInt(alertState);
            out.writeFixed(b, afterLastAlertState, lastPublished - afterLastAlertState);  // outcome, playbook, actions
            out.writeLong(kind == Kind.REPEAT ? lastPublishedAt : now);
            out.writeLong(handledAt);
            out.writeFixed(b, afterLastHandled, b.length - afterLastHandled);
            newState = out.toByteArray();

            assert java.util.Arrays.equals(written, offsetsIn(newState)) : "the new state's fields are not where writing noted them";
            int incidentEnd = written[FIELDS];
            out.reset();
            copy(out, newState, written, INCIDENT_ID);
            copy(out, newState, written, STATE);
            copy(out, newState, written, CHANGE);
            copy(out, newState, written, OCCURRENCES);
            copy(out, newState, written, CATEGORY);
            copy(out, newState, written, SEVERITY);
            copy(out, newState, written, OWNER_FIELD);
            copy(out, newState, written, PLAYBOOK);
            copy(out, newState, written, FLAPPING);
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
            EncodedOutputs.IncidentVersion incident = kind == Kind.REPEAT ? null
                    : new EncodedOutputs.IncidentVersion(incidentId, newState, 2, incidentEnd - 2);
            return new Step(newState, incident, new EncodedOutputs.TeamRecord(incidentId, owner, out.toByteArray()));
        } finally {
            encoders.give(out);
        }
    }

    /**
     * Whether a repeat leaves the incident's severity, category, playbook and owner as they are (the lifecycle's
     * "coalesced" repeat, which publishes no new version).
     */
    private boolean coalesces(byte[] b, Classification classification, Owner owner) throws IOException {
        Severity severity = classification.severity();
        if (severity != Severity.UNKNOWN && SEVERITY_INDEX[severity.ordinal()] != intAt(b, offsets[SEVERITY])) {
            return false;
        }
        if (!Classification.UNCLASSIFIED.equals(classification.category())
                && !stringAt(b, offsets[CATEGORY], classification.category())) {
            return false;
        }
        String playbook = classification.playbook();
        if (playbook != null && !(b[offsets[PLAYBOOK]] != 0 && stringAt(b, offsets[PLAYBOOK] + 1, playbook))) {
            return false;
        }
        return ownerAt(b, offsets[OWNER_FIELD], owner);
    }

    private static void copy(ByteArrayEncoder out, byte[] b, int[] offsets, int field) {
        out.writeFixed(b, offsets[field], offsets[field + 1] - offsets[field]);
    }

    private void copy(ByteArrayEncoder out, byte[] b, int field) {
        copy(out, b, offsets, field);
    }

    /** Notes that the new state's {@code field} starts at what {@code out} writes next. */
    private void mark(ByteArrayEncoder out, int field) {
        written[field] = out.position();
    }

    /** Writes the optional string {@code field} as {@code value}, or as the stored state has it when {@code value} is null. */
    private void optionalOrKept(ByteArrayEncoder out, byte[] b, String value, int field) {
        mark(out, field);
        if (value == null) {
            copy(out, b, field);
        } else {
            out.writeIndex(1);
            out.writeString(value);
        }
    }

    /** Copies the stored state's fields {@code from} up to {@code to} (exclusive) as they are, noting where each starts. */
    private void copyFields(ByteArrayEncoder out, byte[] b, int from, int to) {
        int shift = out.position() - offsets[from];
        for (int field = from; field < to; field++) {
            written[field] = offsets[field] + shift;
        }
        out.writeFixed(b, offsets[from], offsets[to] - offsets[from]);
    }

    /** Whether the Owner record at {@code at} holds {@code owner}'s values. */
    private static boolean ownerAt(byte[] b, int at, Owner owner) throws IOException {
        int p = at;
        for (int field = 0; field < OWNER_OPTIONAL.length; field++) {
            String value = (String) owner.get(field);
            if (OWNER_OPTIONAL[field]) {
                boolean present = b[p++] != 0;   // null first (checked with PARTS); fieldOffsets has checked the index is 0 or 1
                if (present != (value != null)) {
                    return false;
                }
                if (!present) {
                    continue;
                }
            }
            p = stringEnd(b, p, value);
            if (p < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the Avro string at {@code at} is {@code expected}. */
    private static boolean stringAt(byte[] b, int at, String expected) throws IOException {
        return stringEnd(b, at, expected) >= 0;
    }

    /** Where the Avro string at {@code at} ends if it is {@code expected}, else -1. */
    private static int stringEnd(byte[] b, int at, String expected) throws IOException {
        ByteArrayDecoder in = new ByteArrayDecoder(b, at, b.length - at);
        int length = in.readInt();
        int start = in.position();
        if (length < 0 || length > b.length - start) {
            throw new IOException("invalid string length at " + at);
        }
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
                    return -1;
                }
            }
            if (ascii) {
                return start + length;
            }
        }
        byte[] utf8 = expected.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.equals(utf8, 0, utf8.length, b, start, start + length) ? start + length : -1;
    }

    private static int intAt(byte[] b, int at) throws IOException {
        return new ByteArrayDecoder(b, at, b.length - at).readInt();
    }

    private static long longAt(byte[] b, int at) throws IOException {
        return new ByteArrayDecoder(b, at, b.length - at).readLong();
    }

    /**
     * Records in {@code offsets} where each of the incident's fields starts in {@code b} (the incident starting at {@code at}) and
     * returns where it ends, by walking the bytes with {@link #PARTS}. A corrupt state throws (an index out of
     * bounds, or an {@link IOException} for a union index or length that cannot be).
     */
    private static int fieldOffsets(byte[] b, int at, int[] offsets) throws IOException {
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

    /** Where each of the incident's fields starts in a state, and where the incident ends (for the assertion above). */
    private static int[] offsetsIn(byte[] state) {
        int[] offsets = new int[FIELDS + 1];
        try {
            fieldOffsets(state, 2, offsets);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return offsets;
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
                    throw new IllegalStateException("LifecycleFastPath reads unions of null and a string or number, not " + schema);
                }
                parts.write(OPTIONAL + (branches.get(1).getType() == Schema.Type.STRING ? STRING : VARINT));
            }
            default -> throw new IllegalStateException("LifecycleFastPath does not read " + schema.getType() + " fields of Incident");
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
