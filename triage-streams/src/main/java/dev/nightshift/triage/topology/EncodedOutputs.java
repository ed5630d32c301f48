package dev.nightshift.triage.topology;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.TriagedAlert;

/**
 * Output records {@link LifecycleFastPath} writes as bytes: each holds its Avro body in its class's own schema,
 * with only the fields the sinks read set as objects (the incident id, the records' key, and a team record's owner,
 * whose team names the topic). {@link CompiledRegistrySerializer} writes the body after the registry framing;
 * nothing else sees these records, and their other fields are unset.
 */
final class EncodedOutputs {
    private EncodedOutputs() {
    }

    /** A record whose body is already written. */
    interface Encoded {
        byte[] body();

        int bodyOffset();

        int bodyLength();
    }

    /** A team record for {@code team.<team>.alerts}. */
    static final class TeamRecord extends TriagedAlert implements Encoded {
        private final byte[] body;

        TeamRecord(String incidentId, Owner owner, byte[] body) {
            setIncidentId(incidentId);
            setOwner(owner);
            this.body = body;
        }

        @Override
        public byte[] body() {
            return body;
        }

        @Override
        public int bodyOffset() {
            return 0;
        }

        @Override
        public int bodyLength() {
            return body.length;
        }
    }

    /** A new version of an incident for {@code incidents}: its body is the incident inside a fingerprint's new state. */
    static final class IncidentVersion extends Incident implements Encoded {
        private final byte[] state;
        private final int offset;
        private final int length;

        IncidentVersion(String incidentId, byte[] state, int offset, int length) {
            setIncidentId(incidentId);
            this.state = state;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public byte[] body() {
            return state;
        }

        @Override
        public int bodyOffset() {
            return offset;
        }

        @Override
        public int bodyLength() {
            return length;
        }
    }
}
