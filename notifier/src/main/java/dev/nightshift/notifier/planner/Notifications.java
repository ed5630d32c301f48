package dev.nightshift.notifier.planner;

import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.GroupMember;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;

import java.time.Instant;
import java.util.List;

/**
 * The notifications the planner writes, and their ids. An id is made only of what the source record says (an incident
 * version, a step's request id and status, an approval id) and what the planner counted before it from the same
 * records, so the same input always gives the same id and a delivery worker that sees an id again knows it:
 * <ul>
 *   <li>{@code thread:<threadKey>}: the thread's parent message; its updates {@code thread:<threadKey>:u:<incidentId>:<version>}
 *       (an incident's change), {@code ...:m<members>} (an incident joined the group), {@code ...:r<run>.<run version>} (its
 *       playbook's current step);</li>
 *   <li>{@code <incidentId>:state:<version>}, {@code <incidentId>:step:<requestId>:<mode>:<status>},
 *       {@code <incidentId>:approval:<approvalId>} (its updates {@code <that id>:u:<n>}), {@code <incidentId>:escalated:<reason>}: replies;</li>
 *   <li>{@code ticket:<incidentId>}, {@code <incidentId>:comment:step:...}, {@code <incidentId>:comment:approval:<approvalId>},
 *       {@code <incidentId>:transition:<version>}: the ticket;</li>
 *   <li>{@code page:<incidentId>:<n>}, {@code page-resolve:<incidentId>} (then {@code :<n>} for a later page's resolve),
 *       {@code channel:<incidentId>}.</li>
 * </ul>
 * Events (one word, for the adapters): opened, grouped, run, acknowledged, resolved, reopened, flapping, closed (an
 * incident expired), repeated, step, handover, circuit-open, approval, decision, escalated.
 */
public final class Notifications {
    public static final String OPENED = "opened";
    public static final String GROUPED = "grouped";
    public static final String RUN = "run";
    public static final String STEP = "step";
    public static final String HANDOVER = "handover";
    public static final String CIRCUIT_OPEN = "circuit-open";
    public static final String APPROVAL = "approval";
    public static final String DECISION = "decision";
    public static final String ESCALATED = "escalated";
    public static final String CLOSED = "closed";
    public static final String RESOLVE = "resolve";
    public static final String REOPEN = "reopen";

    private Notifications() {
    }

    /** The event an incident's change is told as: its change, but an incident that expired is closed. */
    public static String eventOf(Incident incident) {
        return "expired".equals(incident.getChange()) ? CLOSED : incident.getChange();
    }

    public static Notification thread(String threadKey, String channel, Incident incident, List<GroupMember> members) {
        return slack("thread:" + threadKey, NotificationKind.THREAD, threadKey, channel, incident, OPENED, incident.getOpenedAt())
                .setMembers(members).build();
    }

    public static Notification joined(String threadKey, String channel, Incident incident, List<GroupMember> members, String text) {
        return slack("thread:" + threadKey + ":u:" + incident.getIncidentId() + ":m" + members.size(), NotificationKind.THREAD_UPDATE,
                threadKey, channel, incident, GROUPED, incident.getOpenedAt()).setMembers(members).setText(text).build();
    }

    public static Notification changed(String threadKey, String channel, Incident incident, List<GroupMember> members) {
        return slack("thread:" + threadKey + ":u:" + incident.getIncidentId() + ":" + incident.getVersion(), NotificationKind.THREAD_UPDATE,
                threadKey, channel, incident, eventOf(incident), incident.getUpdatedAt()).setMembers(members).build();
    }

    public static Notification runMoved(String threadKey, String channel, Incident incident, List<GroupMember> members, PlaybookRun run) {
        return slack("thread:" + threadKey + ":u:" + incident.getIncidentId() + ":r" + run.getRun() + "." + run.getVersion(),
                NotificationKind.THREAD_UPDATE, threadKey, channel, incident, RUN, run.getUpdatedAt()).setMembers(members).setRun(run).build();
    }

    public static Notification stateReply(String threadKey, String channel, Incident incident) {
        return slack(incident.getIncidentId() + ":state:" + incident.getVersion(), NotificationKind.REPLY, threadKey, channel, incident,
                eventOf(incident), incident.getUpdatedAt()).build();
    }

    public static Notification stepReply(String threadKey, String channel, Incident incident, RemediationOutcome outcome, String event) {
        return slack(incident.getIncidentId() + ":step:" + stepPart(outcome), NotificationKind.REPLY, threadKey, channel, incident, event,
                outcome.getFinishedAt()).setOutcome(outcome).build();
    }

    public static Notification stepComment(String threadKey, String channel, String project, Incident incident, RemediationOutcome outcome,
                                           String event) {
        return ticket(incident.getIncidentId() + ":comment:step:" + stepPart(outcome), NotificationKind.TICKET_COMMENT, threadKey, channel,
                project, incident, event, outcome.getFinishedAt()).setOutcome(outcome).build();
    }

    public static String approvalReplyId(String incidentId, String approvalId) {
        return incidentId + ":approval:" + approvalId;
    }

    public static Notification approvalReply(String threadKey, String channel, Incident incident, ApprovalRequest approval) {
        return slack(approvalReplyId(incident.getIncidentId(), approval.getApprovalId()), NotificationKind.REPLY, threadKey, channel,
                incident, APPROVAL, approval.getRequestedAt()).setApproval(approval).build();
    }

    public static Notification approvalUpdate(String threadKey, String channel, Incident incident, ApprovalRequest approval, String replyId,
                                              int update) {
        return slack(replyId + ":u:" + update, NotificationKind.REPLY_UPDATE, threadKey, channel, incident, DECISION, decidedAt(approval))
                .setUpdates(replyId).setApproval(approval).build();
    }

    public static Notification approvalComment(String threadKey, String channel, String project, Incident incident, ApprovalRequest approval) {
        return ticket(incident.getIncidentId() + ":comment:approval:" + approval.getApprovalId(), NotificationKind.TICKET_COMMENT, threadKey,
                channel, project, incident, DECISION, decidedAt(approval)).setApproval(approval).build();
    }

    public static Notification ticket(String threadKey, String channel, String project, Incident incident) {
        return ticket("ticket:" + incident.getIncidentId(), NotificationKind.TICKET, threadKey, channel, project, incident, OPENED,
                incident.getOpenedAt()).build();
    }

    public static Notification transition(String threadKey, String channel, String project, Incident incident, String transition) {
        return ticket(incident.getIncidentId() + ":transition:" + incident.getVersion(), NotificationKind.TICKET_TRANSITION, threadKey,
                channel, project, incident, eventOf(incident), incident.getUpdatedAt()).setTransition(transition).build();
    }

    public static Notification incidentChannel(String threadKey, String channel, Incident incident) {
        return slack("channel:" + incident.getIncidentId(), NotificationKind.INCIDENT_CHANNEL, threadKey, channel, incident, OPENED,
                incident.getOpenedAt()).build();
    }

    public static Notification page(String threadKey, String channel, Incident incident, int page, String why, Instant at, PlaybookRun run) {
        return base("page:" + incident.getIncidentId() + ":" + page, NotificationTarget.PAGER, NotificationKind.PAGE_TRIGGER, threadKey,
                channel, incident, ESCALATED, at).setText(why).setRun(run).build();
    }

    /** The resolve of the incident's pages: {@code page-resolve:<incidentId>} after its first page, with {@code :<n>} after a later one. */
    public static Notification pageResolve(String threadKey, String channel, Incident incident, int pages) {
        return base("page-resolve:" + incident.getIncidentId() + (pages > 1 ? ":" + pages : ""), NotificationTarget.PAGER,
                NotificationKind.PAGE_RESOLVE, threadKey, channel, incident, eventOf(incident), incident.getUpdatedAt()).build();
    }

    public static Notification escalationReply(String threadKey, String channel, Incident incident, String reason, String text, Instant at,
                                               PlaybookRun run) {
        return slack(incident.getIncidentId() + ":escalated:" + reason, NotificationKind.REPLY, threadKey, channel, incident, ESCALATED, at)
                .setText(text).setRun(run).build();
    }

    private static String stepPart(RemediationOutcome outcome) {
        return outcome.getRequestId() + ":" + outcome.getMode() + ":" + outcome.getStatus();
    }

    private static Instant decidedAt(ApprovalRequest approval) {
        return approval.getDecidedAt() != null ? approval.getDecidedAt() : approval.getRequestedAt();
    }

    private static Notification.Builder slack(String id, NotificationKind kind, String threadKey, String channel, Incident incident,
                                              String event, Instant at) {
        return base(id, NotificationTarget.SLACK, kind, threadKey, channel, incident, event, at);
    }

    private static Notification.Builder ticket(String id, NotificationKind kind, String threadKey, String channel, String project,
                                               Incident incident, String event, Instant at) {
        return base(id, NotificationTarget.TICKET, kind, threadKey, channel, incident, event, at).setTicketProject(project);
    }

    private static Notification.Builder base(String id, NotificationTarget target, NotificationKind kind, String threadKey, String channel,
                                             Incident incident, String event, Instant at) {
        return Notification.newBuilder().setNotificationId(id).setIncidentId(incident.getIncidentId())
                .setTeam(incident.getOwner() == null ? "unowned" : incident.getOwner().getTeam()).setThreadKey(threadKey)
                .setTarget(target).setKind(kind).setSlackChannel(channel).setEvent(event).setIncident(incident)
                .setAt(at == null ? incident.getUpdatedAt() : at);
    }
}
