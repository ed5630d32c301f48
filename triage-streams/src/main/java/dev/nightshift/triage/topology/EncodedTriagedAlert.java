package dev.nightshift.triage.topology;

import dev.nightshift.schema.Owner;
import dev.nightshift.schema.TriagedAlert;

/**
 * A team record written as bytes by {@link RepeatFastPath}: its Avro body in {@code TriagedAlert}'s own schema,
 * with only the fields the team sink reads set as objects (the incident id, its key, and the owner, whose team
 * names the topic). {@link CompiledRegistrySerializer} writes the body after the registry framing; nothing else
 * sees this record, and its other fields are unset.
 */
final class EncodedTriagedAlert extends TriagedAlert {
    private final byte[] body;

    EncodedTriagedAlert(String incidentId, Owner owner, byte[] body) {
        setIncidentId(incidentId);
        setOwner(owner);
        this.body = body;
    }

    byte[] body() {
        return body;
    }
}
