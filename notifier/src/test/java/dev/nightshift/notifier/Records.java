package dev.nightshift.notifier;

import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.Severity;

import java.time.Instant;

final class Records {
    static final Instant T0 = Instant.parse("2026-11-21T03:00:00Z");

    private Records() {
    }

    static Owner owner() {
        return Owner.newBuilder().setTeam("payments").setService("orders").setSlackChannel("#payments-oncall").build();
    }

    static Incident incident(String id, String change, IncidentState state, long occurrences) {
        return Incident.newBuilder()
                .setIncidentId(id).setFingerprint("fp-1").setState(state).setSource(AlertSource.CLOUDWATCH)
                .setName("orders-eu-read-throttle").setTitle("Throttled reads on orders-eu").setSeverity(Severity.HIGH)
                .setCategory("database").setOwner(owner()).setResource("dynamodb:table/orders-eu")
                .setPlaybook("dynamodb-throttling").setOccurrences(occurrences).setLastAlertId("a-1").setChange(change)
                .setOpenedAt(T0).setLastSeenAt(T0).setUpdatedAt(T0).build();
    }

    static RemediationOutcome outcome(String incidentId) {
        return RemediationOutcome.newBuilder()
                .setRequestId(incidentId + ":dynamodb-throttling:0").setIncidentId(incidentId).setPlaybook("dynamodb-throttling")
                .setStepIndex(0).setAction("dynamodb-scale").setStatus(OutcomeStatus.PLANNED).setDryRun(true)
                .setSummary("dry-run: would raise the provisioned capacity of DynamoDB table orders-eu by x2")
                .setOwner(owner()).setStartedAt(T0).setFinishedAt(T0).build();
    }
}
