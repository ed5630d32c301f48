package dev.nightshift.notifier.planner;

import dev.nightshift.schema.ApprovalReply;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.PlannerEvent;
import dev.nightshift.schema.PlannerIncident;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an incident with a thread earns besides its thread's parent message (keyed by incident id): when it is first
 * seen, its ticket (if its team wants one for its severity and there is a project) and, CRITICAL, a channel of its own;
 * a reply for each change of state people care about (not for repeats), the ticket moved to done when it resolves or
 * closes and back when it reopens, its page resolved when it was paged; a reply and a ticket comment for each step's
 * outcome (not for a step still waiting), a hand-over or a circuit that opened; a reply for each approval request,
 * updated as votes and the decision come (an older record of it, read again, changes nothing), and a ticket comment
 * once decided; and escalation, once per incident and
 * reason: a run that escalated, or an incident of the paging severity nobody acknowledged in time, pages the team's
 * on-call when the team can be paged and says so in the thread either way.
 */
public final class IncidentPlanner {
    private static final Set<String> STATE_CHANGES = Set.of("acknowledged", "resolved", "reopened", "flapping", "expired");
    private static final Set<ApprovalStatus> DECIDED = Set.of(ApprovalStatus.APPROVED, ApprovalStatus.REJECTED, ApprovalStatus.EXPIRED,
            ApprovalStatus.CANCELLED);
    private static final Set<OutcomeStatus> NOT_YET = Set.of(OutcomeStatus.WAITING, OutcomeStatus.AWAITING_APPROVAL);

    private final Surroundings surroundings;

    public IncidentPlanner(Surroundings surroundings) {
        this.surroundings = surroundings;
    }

    /** The incident's new state and its notifications, in the order they are to be delivered. */
    public record Result(PlannerIncident state, List<Notification> notifications, boolean changed) {
    }

    public Result onEvent(PlannerIncident current, PlannerEvent event, long now) {
        List<Notification> out = new ArrayList<>();
        PlannerIncident state;
        Incident incident = event.getIncident();
        if (current == null) {
            state = open(event, out);
        } else {
            state = PlannerIncident.newBuilder(current).build();
            if (event.getRecord() == null) {
                if (incident.getVersion() <= current.getIncident().getVersion()) {
                    return new Result(current, List.of(), false);
                }
                state.setIncident(incident);
                onChange(state, incident, out);
            }
        }
        Object record = event.getRecord();
        if (record instanceof RemediationOutcome outcome) {
            onOutcome(state, outcome, out);
        } else if (record instanceof PlaybookRun run) {
            onRun(state, run, out);
        } else if (record instanceof ApprovalRequest approval) {
            onApproval(state, approval, out);
        }
        state.setTouchedAt(Instant.ofEpochMilli(now));
        return new Result(state, out, true);
    }

    /** The passing of (wall-clock) time: an acknowledgement deadline that passed escalates, unless a silence holds the incident. */
    public Result onTime(PlannerIncident current, long now) {
        if (current.getAcknowledgeBy() == null || current.getAcknowledgeBy().toEpochMilli() > now) {
            return new Result(current, List.of(), false);
        }
        PlannerIncident state = PlannerIncident.newBuilder(current).setAcknowledgeBy(null).build();
        List<Notification> out = new ArrayList<>();
        Incident incident = state.getIncident();
        if (awaitsAcknowledgement(state) && surroundings.silenceOf(incident, now).isEmpty()) {
            Duration within = surroundings.policy().acknowledgeWithin(surroundings.ownerOf(incident));
            escalate(state, unacknowledged(incident), incident.getSeverity() + " incident not acknowledged within " + within,
                    Instant.ofEpochMilli(now), null, out);
        }
        return new Result(state, out, true);
    }

    /** When the state next needs the clock: its acknowledgement deadline, or, once closed, the end of its retention. */
    public static Long nextDue(PlannerIncident state, Duration retention) {
        if (state == null) {
            return null;
        }
        if (state.getAcknowledgeBy() != null) {
            return state.getAcknowledgeBy().toEpochMilli();
        }
        return IncidentIntake.closed(state.getIncident()) ? state.getTouchedAt().toEpochMilli() + retention.toMillis() : null;
    }

    private PlannerIncident open(PlannerEvent event, List<Notification> out) {
        Incident incident = event.getIncident();
        Ownership owner = surroundings.ownerOf(incident);
        String project = surroundings.policy().ticketProject(incident, owner);
        PlannerIncident state = PlannerIncident.newBuilder().setIncident(incident).setThreadKey(event.getThreadKey())
                .setSlackChannel(event.getSlackChannel()).setTicketProject(project).setApprovals(new ArrayList<>())
                .setEscalations(new ArrayList<>()).setTouchedAt(incident.getUpdatedAt()).build();
        if (project != null) {
            out.add(Notifications.ticket(state.getThreadKey(), state.getSlackChannel(), project, incident));
        }
        if (surroundings.policy().incidentChannel(incident, owner)) {
            out.add(Notifications.incidentChannel(state.getThreadKey(), state.getSlackChannel(), incident));
        }
        arm(state, incident.getOpenedAt());
        return state;
    }

    private void onChange(PlannerIncident state, Incident incident, List<Notification> out) {
        String change = incident.getChange();
        String thread = state.getThreadKey();
        String channel = state.getSlackChannel();
        if (STATE_CHANGES.contains(change)) {
            out.add(Notifications.stateReply(thread, channel, incident));
        }
        if (IncidentIntake.closed(incident) && STATE_CHANGES.contains(change)) {
            if (state.getTicketProject() != null) {
                out.add(Notifications.transition(thread, channel, state.getTicketProject(), incident, Notifications.RESOLVE));
            }
            if (state.getPageOpen()) {
                out.add(Notifications.pageResolve(thread, channel, incident, state.getPages()));
                state.setPageOpen(false);
            }
        }
        if ("reopened".equals(change)) {
            if (state.getTicketProject() != null) {
                out.add(Notifications.transition(thread, channel, state.getTicketProject(), incident, Notifications.REOPEN));
            }
            state.setAcknowledgeBy(null);
            arm(state, incident.getUpdatedAt());
        } else {
            arm(state, incident.getOpenedAt());
        }
    }

    private void onOutcome(PlannerIncident state, RemediationOutcome outcome, List<Notification> out) {
        if (NOT_YET.contains(outcome.getStatus())) {
            return;
        }
        String event = outcome.getStatus() == OutcomeStatus.HANDED_OVER ? Notifications.HANDOVER
                : outcome.getStatus() == OutcomeStatus.REFUSED && "circuit-breaker".equals(outcome.getGuardrail()) ? Notifications.CIRCUIT_OPEN
                : Notifications.STEP;
        out.add(Notifications.stepReply(state.getThreadKey(), state.getSlackChannel(), state.getIncident(), outcome, event));
        if (state.getTicketProject() != null) {
            out.add(Notifications.stepComment(state.getThreadKey(), state.getSlackChannel(), state.getTicketProject(), state.getIncident(),
                    outcome, event));
        }
    }

    private void onRun(PlannerIncident state, PlaybookRun run, List<Notification> out) {
        if (run.getStatus() == RunStatus.ESCALATED) {
            String why = "the playbook " + run.getPlaybook() + " escalated" + (run.getReason() == null ? "" : ": " + run.getReason());
            escalate(state, "run-" + run.getRun(), why, run.getUpdatedAt(), run, out);
        }
    }

    private void onApproval(PlannerIncident state, ApprovalRequest approval, List<Notification> out) {
        List<ApprovalReply> replies = new ArrayList<>(state.getApprovals());
        ApprovalReply reply = replies.stream().filter(r -> r.getApprovalId().equals(approval.getApprovalId())).findFirst().orElse(null);
        String thread = state.getThreadKey();
        String channel = state.getSlackChannel();
        Incident incident = state.getIncident();
        if (reply == null) {
            Notification asked = Notifications.approvalReply(thread, channel, incident, approval);
            out.add(asked);
            reply = ApprovalReply.newBuilder().setApprovalId(approval.getApprovalId()).setReplyId(asked.getNotificationId())
                    .setStatus(approval.getStatus()).setVotes(approval.getVotes().size()).build();
            replies.add(reply);
        } else {
            boolean moved = approval.getVotes().size() > reply.getVotes() || approval.getStatus() != reply.getStatus();
            if (DECIDED.contains(reply.getStatus()) || approval.getVotes().size() < reply.getVotes() || !moved) {
                return;   // decided already, or a record from before the last one told
            }
            ApprovalReply updated = ApprovalReply.newBuilder(reply).setUpdates(reply.getUpdates() + 1).setStatus(approval.getStatus())
                    .setVotes(approval.getVotes().size()).build();
            out.add(Notifications.approvalUpdate(thread, channel, incident, approval, reply.getReplyId(), updated.getUpdates()));
            replies.set(replies.indexOf(reply), updated);
            reply = updated;
        }
        if (DECIDED.contains(approval.getStatus()) && !reply.getCommented() && state.getTicketProject() != null) {
            out.add(Notifications.approvalComment(thread, channel, state.getTicketProject(), incident, approval));
            replies.set(replies.indexOf(reply), ApprovalReply.newBuilder(reply).setCommented(true).build());
        }
        state.setApprovals(replies);
    }

    /** Pages the team's on-call (when it can be paged) and says so in the thread, once per incident and reason. */
    private void escalate(PlannerIncident state, String reason, String why, Instant at, PlaybookRun run, List<Notification> out) {
        if (state.getEscalations().contains(reason)) {
            return;
        }
        List<String> escalations = new ArrayList<>(state.getEscalations());
        escalations.add(reason);
        state.setEscalations(escalations);
        Incident incident = state.getIncident();
        String team = incident.getOwner() == null ? "unowned" : incident.getOwner().getTeam();
        String text;
        if (surroundings.pages().test(team)) {
            state.setPages(state.getPages() + 1);
            state.setPageOpen(true);
            out.add(Notifications.page(state.getThreadKey(), state.getSlackChannel(), incident, state.getPages(), why, at, run));
            text = "Paged the on-call of " + team + ": " + why;
        } else {
            text = "Escalated: " + why + "; nobody was paged (no pager is set up for " + team + ")";
        }
        out.add(Notifications.escalationReply(state.getThreadKey(), state.getSlackChannel(), incident, reason, text, at, run));
    }

    /** Sets the acknowledgement deadline (from {@code from}) while the incident awaits one and has none yet; clears it otherwise. */
    private void arm(PlannerIncident state, Instant from) {
        if (!awaitsAcknowledgement(state)) {
            state.setAcknowledgeBy(null);
        } else if (state.getAcknowledgeBy() == null) {
            state.setAcknowledgeBy(from.plus(surroundings.policy().acknowledgeWithin(surroundings.ownerOf(state.getIncident()))));
        }
    }

    private boolean awaitsAcknowledgement(PlannerIncident state) {
        Incident incident = state.getIncident();
        return incident.getState() == IncidentState.OPEN && incident.getAcknowledgedAt() == null
                && surroundings.policy().pagesWhenUnacknowledged(incident.getSeverity())
                && !state.getEscalations().contains(unacknowledged(incident));
    }

    private static String unacknowledged(Incident incident) {
        return "unacknowledged-" + incident.getReopenCount();
    }
}
