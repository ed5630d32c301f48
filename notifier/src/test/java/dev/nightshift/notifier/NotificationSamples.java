package dev.nightshift.notifier;

import dev.nightshift.schema.AlertSource;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.Severity;
import dev.nightshift.schema.Vote;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Notifications as the planner writes them, for the tests of the ticket and paging adapters. */
public final class NotificationSamples {
    public static final Instant T0 = Instant.parse("2026-11-21T03:00:00Z");
    public static final String INCIDENT = "fp1a2b-mhx2k0";

    static {
        // Avro fills in a record's defaults through the generated classes, which it loads only once they are trusted:
        // the notifier trusts them when its registry serde loads, and so do these samples.
        new RegistryAvroDeserializer<>().close();
    }

    private NotificationSamples() {
    }

    public static Owner owner() {
        return Owner.newBuilder().setTeam("payments").setService("orders").setSlackChannel("#payments-oncall").setJiraProject("OPS")
                .setEnvironment("prod").build();
    }

    public static Incident incident() {
        return Incident.newBuilder()
                .setIncidentId(INCIDENT).setFingerprint("fp1a2b").setState(IncidentState.OPEN).setSource(AlertSource.CLOUDWATCH)
                .setName("orders-eu-read-throttle").setTitle("Throttled reads on orders-eu").setSeverity(Severity.HIGH)
                .setCategory("database").setOwner(owner()).setResource("dynamodb:table/orders-eu").setAccount("123456789012")
                .setRegion("eu-west-1").setPlaybook("dynamodb-throttling")
                .setLabels(Map.of("TableName", "orders-eu", "runbook_url", "https://wiki.example.com/runbooks/dynamodb-throttling"))
                .setOccurrences(3).setLastAlertId("a-1").setChange("opened").setOpenedAt(T0).setLastSeenAt(T0).setUpdatedAt(T0).build();
    }

    /** The incident's TICKET notification (or any other, by kind and event). */
    public static Notification.Builder notification(NotificationKind kind, String event, String notificationId) {
        NotificationTarget target = switch (kind) {
            case TICKET, TICKET_COMMENT, TICKET_TRANSITION -> NotificationTarget.TICKET;
            case PAGE_TRIGGER, PAGE_RESOLVE -> NotificationTarget.PAGER;
            default -> NotificationTarget.SLACK;
        };
        return Notification.newBuilder().setNotificationId(notificationId).setIncidentId(INCIDENT).setTeam("payments")
                .setThreadKey("payments|database|#payments-oncall|" + T0.toEpochMilli()).setTarget(target).setKind(kind)
                .setSlackChannel("#payments-oncall").setTicketProject("OPS").setEvent(event).setIncident(incident()).setAt(T0);
    }

    public static Notification ticket() {
        return notification(NotificationKind.TICKET, "opened", "ticket:" + INCIDENT).build();
    }

    public static RemediationOutcome.Builder outcome(OutcomeStatus status) {
        return RemediationOutcome.newBuilder()
                .setRequestId(INCIDENT + ":dynamodb-throttling:0").setIncidentId(INCIDENT).setPlaybook("dynamodb-throttling")
                .setStepIndex(1).setStepName("scale-table").setAction("dynamodb-scale").setStatus(status).setDryRun(false)
                .setSummary("raised the read capacity of orders-eu from 100 to 200")
                .setPlan("double the provisioned read capacity of orders-eu").setResource("dynamodb:table/orders-eu")
                .setBefore(Map.of("readCapacityUnits", "100")).setAfter(Map.of("readCapacityUnits", "200"))
                .setApprovedBy(List.of("U123ALICE", "bob@example.com"))
                .setOwner(owner()).setStartedAt(T0).setFinishedAt(T0.plusSeconds(4));
    }

    public static Notification stepComment(OutcomeStatus status) {
        return notification(NotificationKind.TICKET_COMMENT, "step", INCIDENT + ":comment:step:" + INCIDENT + ":dynamodb-throttling:0:" + status)
                .setOutcome(outcome(status).build()).build();
    }

    public static ApprovalRequest approval(ApprovalStatus status) {
        return ApprovalRequest.newBuilder().setApprovalId("appr-9").setRequestId(INCIDENT + ":dynamodb-throttling:1").setIncidentId(INCIDENT)
                .setPlaybook("dynamodb-throttling").setStepName("scale-table").setAction("dynamodb-scale").setResource("dynamodb:table/orders-eu")
                .setPlan("double the provisioned read capacity of orders-eu").setOwner(owner()).setRequestedAt(T0)
                .setExpiresAt(T0.plusSeconds(900)).setRequiredApprovals(1).setApprovers(List.of("U123ALICE")).setStatus(status)
                .setVotes(List.of(
                        Vote.newBuilder().setBy("U999MALLORY").setApproved(true).setChannel("slack").setCounted(false).setAt(T0.plusSeconds(30)).build(),
                        Vote.newBuilder().setBy("U123ALICE").setApproved(true).setChannel("slack").setCounted(true).setAt(T0.plusSeconds(60)).build()))
                .setDecidedAt(status == ApprovalStatus.PENDING ? null : T0.plusSeconds(60)).build();
    }

    public static PlaybookRun escalatedRun() {
        return PlaybookRun.newBuilder().setIncidentId(INCIDENT).setPlaybook("dynamodb-throttling").setRun(1).setStatus(RunStatus.ESCALATED)
                .setReason("step scale-table failed: ValidationException").setOwner(owner()).setService("orders")
                .setResource("dynamodb:table/orders-eu").setCurrentStep(1).setStartedAt(T0).setUpdatedAt(T0.plusSeconds(10)).build();
    }
}
