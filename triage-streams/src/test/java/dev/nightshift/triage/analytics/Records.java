package dev.nightshift.triage.analytics;

import dev.nightshift.schema.Delivery;
import dev.nightshift.schema.DeliveryStatus;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.ResponseKind;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.StepStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The records the other services write about an incident, as they write them. */
final class Records {
    static final Owner PAYMENTS = Owner.newBuilder().setTeam("payments").setService("checkout").build();

    private Records() {
    }

    static RemediationOutcome.Builder step(String incidentId, String requestId, int index, String name, String action,
                                           OutcomeStatus status, Instant started, Instant finished) {
        return RemediationOutcome.newBuilder().setRequestId(requestId).setIncidentId(incidentId).setPlaybook("dynamodb-throttling")
                .setStepIndex(index).setStepName(name).setAction(action).setStatus(status).setDryRun(false)
                .setSummary(name + " " + status.name().toLowerCase()).setOwner(PAYMENTS).setStartedAt(started).setFinishedAt(finished);
    }

    static StepRun stepRun(int index, String name, String action, boolean manual, StepStatus status) {
        return StepRun.newBuilder().setIndex(index).setName(name).setAction(action).setManual(manual).setStatus(status).build();
    }

    static PlaybookRun run(String incidentId, RunStatus status, long version, Instant started, Instant updated, List<StepRun> steps) {
        return PlaybookRun.newBuilder().setIncidentId(incidentId).setPlaybook("dynamodb-throttling").setRun(1).setStatus(status)
                .setOwner(PAYMENTS).setCurrentStep(0).setSteps(steps).setStartedAt(started).setUpdatedAt(updated).setVersion(version)
                .build();
    }

    static IncidentResponse acknowledgement(String incidentId, String by, Instant at) {
        return IncidentResponse.newBuilder().setIncidentId(incidentId).setKind(ResponseKind.ACKNOWLEDGED).setBy(by)
                .setChannel("slack").setAt(at).build();
    }

    static Delivery page(String incidentId, String notificationId, Instant at) {
        return Delivery.newBuilder().setNotificationId(notificationId).setIncidentId(incidentId).setTarget(NotificationTarget.PAGER)
                .setKind(NotificationKind.PAGE_TRIGGER).setEvent("paged").setStatus(DeliveryStatus.SENT).setDestination("on-call")
                .setAt(at).setDeliveredAt(at.plusSeconds(1)).build();
    }

    static Delivery slackReply(String incidentId, String notificationId, String event, Instant at) {
        return Delivery.newBuilder().setNotificationId(notificationId).setIncidentId(incidentId).setTarget(NotificationTarget.SLACK)
                .setKind(NotificationKind.REPLY).setEvent(event).setStatus(DeliveryStatus.SENT).setDestination("#payments-oncall")
                .setAt(at).setDeliveredAt(at.plusSeconds(1)).build();
    }

    static Map<String, String> map(String... keyValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
