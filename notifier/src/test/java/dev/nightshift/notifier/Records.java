package dev.nightshift.notifier;

import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.GroupMember;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.Severity;
import dev.nightshift.schema.Vote;
import dev.nightshift.serde.RegistryAvroDeserializer;

import java.time.Instant;
import java.util.List;

/** Records as the pipeline writes them, and the notifications the planner makes of them, for tests. */
public final class Records {
    public static final Instant T0 = Instant.parse("2026-11-21T03:00:00Z");
    public static final String CHANNEL = "#payments-oncall";

    static {
        // Avro fills in a record's defaults through the generated classes, which it loads only once they are trusted (as
        // the registry serde does when it loads).
        new RegistryAvroDeserializer<>().close();
    }

    private Records() {
    }

    public static Owner owner() {
        return Owner.newBuilder().setTeam("payments").setService("orders").setSlackChannel(CHANNEL).setJiraProject("PAY").build();
    }

    public static Incident incident(String id, String change, IncidentState state, long occurrences) {
        return Incident.newBuilder()
                .setIncidentId(id).setFingerprint("fp-" + id).setState(state).setSource(AlertSource.CLOUDWATCH)
                .setName("orders-eu-read-throttle").setTitle("Throttled reads on orders-eu").setSeverity(Severity.HIGH)
                .setCategory("database").setOwner(owner()).setResource("dynamodb:table/orders-eu")
                .setPlaybook("dynamodb-throttling").setOccurrences(occurrences).setLastAlertId("a-1").setChange(change)
                .setOpenedAt(T0).setLastSeenAt(T0).setUpdatedAt(T0).build();
    }

    public static RemediationOutcome outcome(String incidentId) {
        return RemediationOutcome.newBuilder()
                .setRequestId(incidentId + ":dynamodb-throttling:0").setIncidentId(incidentId).setPlaybook("dynamodb-throttling")
                .setStepIndex(0).setStepName("scale-up").setAction("dynamodb-scale").setStatus(OutcomeStatus.PLANNED).setDryRun(true)
                .setSummary("dry-run: would raise the provisioned capacity of DynamoDB table orders-eu by x2")
                .setPlan("raise the read capacity of orders-eu from 100 to 200")
                .setOwner(owner()).setStartedAt(T0).setFinishedAt(T0).build();
    }

    public static ApprovalRequest approval(String approvalId, String incidentId, ApprovalStatus status, Vote... votes) {
        return ApprovalRequest.newBuilder().setApprovalId(approvalId).setRequestId(incidentId + ":dynamodb-throttling:1")
                .setIncidentId(incidentId).setPlaybook("dynamodb-throttling").setStepName("scale-up").setAction("dynamodb-scale")
                .setResource("dynamodb:table/orders-eu").setPlan("raise the read capacity of orders-eu from 100 to 200")
                .setOwner(owner()).setRequestedAt(T0).setExpiresAt(T0.plusSeconds(900)).setEnvironment("prod")
                .setRequiredApprovals(1).setApprovers(List.of("U0ALICE", "U0BOB")).setStatus(status).setVotes(List.of(votes))
                .setDecidedAt(status == ApprovalStatus.PENDING ? null : T0.plusSeconds(120)).build();
    }

    public static Vote vote(String by, boolean approved, boolean counted) {
        return Vote.newBuilder().setBy(by).setApproved(approved).setChannel("slack").setCounted(counted).setAt(T0.plusSeconds(60)).build();
    }

    public static GroupMember member(Incident incident) {
        return GroupMember.newBuilder().setIncidentId(incident.getIncidentId()).setTitle(incident.getTitle())
                .setSeverity(incident.getSeverity()).setState(incident.getState()).setService(incident.getOwner().getService()).build();
    }

    /** A notification of the thread {@code threadKey}, as the planner writes it (its records to be set by the caller). */
    public static Notification.Builder notification(String id, String threadKey, NotificationTarget target, NotificationKind kind,
                                                    String event, Incident incident) {
        return Notification.newBuilder().setNotificationId(id).setIncidentId(incident.getIncidentId()).setTeam("payments")
                .setThreadKey(threadKey).setTarget(target).setKind(kind).setSlackChannel(CHANNEL).setTicketProject("PAY")
                .setEvent(event).setIncident(incident).setAt(T0);
    }

    /** The thread's parent: the incident on its own. */
    public static Notification thread(String threadKey, Incident incident) {
        return notification("thread:" + threadKey, threadKey, NotificationTarget.SLACK, NotificationKind.THREAD, "opened", incident)
                .setMembers(List.of(member(incident))).build();
    }
}
