package dev.nightshift.triage.lifecycle;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.TriagedAlert;

/** A record the lifecycle asks to publish, each to its own topic, keyed by incident id. */
public sealed interface TriageOutput {
    String incidentId();

    /** A new version of an incident, for {@code incidents}. */
    record IncidentChanged(Incident incident) implements TriageOutput {
        public String incidentId() {
            return incident.getIncidentId();
        }
    }

    /** An alert as its team receives it, for {@code team.<team>.alerts}. */
    record Routed(TriagedAlert alert) implements TriageOutput {
        public String incidentId() {
            return alert.getIncidentId();
        }
    }

    /** The final record of a closed incident, for {@code incident.outcomes}. */
    record Closed(IncidentOutcome outcome) implements TriageOutput {
        public String incidentId() {
            return outcome.getIncidentId();
        }
    }
}
