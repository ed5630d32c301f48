package dev.nightshift.notifier.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.GroupMember;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.Vote;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static dev.nightshift.notifier.slack.SlackText.escape;

/**
 * What each notification looks like in Slack, from the records it carries: an incident's parent message (its state,
 * title, severity, owner, service and resource, occurrences, the playbook's current step, its acknowledgement, and an
 * Acknowledge button while nobody has), a storm group's parent (its incidents by name, with their state), and the
 * replies (a step's outcome with its plan, before and after, and approver, and Retry on a failed or interrupted step;
 * an approval request naming its action, resource, plan, approvals needed and expiry, with Approve and Reject buttons
 * while it waits, and who voted once it is decided; Switch back on when a circuit opened; an escalation; a state
 * change; the planner's own sentence). Every reply names its incident, since a group's thread holds several.
 * <p>
 * Every value taken from a record is escaped ({@link SlackText}): alert text comes from outside and must not become
 * Slack markup (a mention, a disguised link); only this class's own text may. Each message also has a one-line
 * {@code text}, which is what an incoming webhook and the log get.
 */
public final class SlackMessages {
    /** A group's parent lists this many of its incidents, then says how many more there are. */
    static final int MAX_LISTED = 40;
    /** Slack's limit on a section's text is 3000 characters; lines are cut into sections below it. */
    private static final int MAX_SECTION = 2800;
    private static final int MAX_FIELD = 1900;
    private static final DateTimeFormatter PLAIN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** The thread's parent: the incident's own message, or the storm group's when it holds more than one incident. */
    public SlackMessage parent(Notification n) {
        if (n.getMembers().size() > 1 || n.getIncident() == null && !n.getMembers().isEmpty()) {
            return group(n);
        }
        if (n.getIncident() == null) {
            throw new IllegalArgumentException("a thread's parent needs its incident or its members");
        }
        return incident(n.getIncident(), n.getRun());
    }

    /** A reply in the thread (or its update): built from whichever records the notification carries. */
    public SlackMessage reply(Notification n) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String line;
        if (n.getApproval() != null) {
            line = approval(n.getApproval(), blocks);
        } else if (n.getOutcome() != null) {
            line = outcome(n, n.getOutcome(), blocks);
        } else if (n.getDecision() != null) {
            line = decision(n.getDecision(), blocks);
        } else if (n.getRun() != null && n.getText() == null) {
            line = run(n.getRun(), blocks);
        } else if (n.getIncident() != null && n.getText() == null) {
            line = stateChange(n.getEvent(), n.getIncident(), blocks);
        } else {
            line = n.getText() == null ? escape(n.getEvent()) : escape(n.getText());
            blocks.add(section(s -> s.text(markdownText(line))));
        }
        if (n.getText() != null && (n.getApproval() != null || n.getOutcome() != null || n.getDecision() != null)) {
            blocks.add(section(s -> s.text(markdownText(escape(n.getText())))));
        }
        if (circuitOpened(n)) {
            String action = n.getOutcome() != null ? n.getOutcome().getAction() : currentAction(n.getRun());
            if (action != null) {
                blocks.add(actions(List.of(button(b -> b.actionId(Buttons.SWITCH_ON).text(plainText(Buttons.SWITCH_ON_LABEL))
                        .value(action).style("primary")))));
            }
        }
        blocks.add(context(List.of(markdownText(names(n)))));
        return new SlackMessage("[" + escape(n.getIncidentId()) + "] " + line, blocks);
    }

    /** The reply in the team's thread that links an incident's own channel. */
    public SlackMessage incidentChannelLink(Notification n, String channelId) {
        String line = ":rotating_light: The incident has a channel of its own: <#" + channelId + ">";
        return new SlackMessage("[" + escape(n.getIncidentId()) + "] incident channel <#" + channelId + ">",
                List.of(section(s -> s.text(markdownText(line))), context(List.of(markdownText(names(n))))));
    }

    private SlackMessage incident(Incident incident, PlaybookRun run) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String title = escape(title(incident));
        blocks.add(section(s -> s.text(markdownText(emoji(incident.getState()) + " *[" + incident.getState() + "] " + title + "*"))));
        List<TextObject> fields = new ArrayList<>();
        fields.add(field("Severity", incident.getSeverity().name()));
        fields.add(field("Owner", escape(incident.getOwner().getTeam())));
        if (incident.getOwner().getService() != null) {
            fields.add(field("Service", escape(incident.getOwner().getService())));
        }
        if (incident.getResource() != null) {
            fields.add(field("Resource", escape(incident.getResource())));
        }
        fields.add(field("Occurrences", Long.toString(incident.getOccurrences())));
        if (incident.getPlaybook() != null) {
            fields.add(field("Playbook", escape(incident.getPlaybook())));
        }
        String step = currentStep(run);
        if (step != null) {
            fields.add(field("Current step", step));
        }
        if (incident.getAcknowledgedAt() != null) {
            fields.add(field("Acknowledged", time(incident.getAcknowledgedAt())));
        }
        if (incident.getResolvedAt() != null) {
            fields.add(field("Resolved", time(incident.getResolvedAt())));
        }
        blocks.add(section(s -> s.fields(fields)));
        List<String> notes = new ArrayList<>();
        if (incident.getFlapping()) {
            notes.add(":warning: Flapping: its automation is held.");
        }
        if (incident.getClosedReason() != null) {
            notes.add("Closed: " + escape(incident.getClosedReason()));
        }
        if (!notes.isEmpty()) {
            blocks.add(section(s -> s.text(markdownText(String.join("\n", notes)))));
        }
        blocks.add(context(List.of(markdownText("Incident " + escape(incident.getIncidentId()) + " · " + escape(incident.getCategory())
                + " · opened " + time(incident.getOpenedAt())))));
        if (incident.getState() == IncidentState.OPEN && incident.getAcknowledgedAt() == null) {
            blocks.add(actions(List.of(button(b -> b.actionId(Buttons.ACKNOWLEDGE).text(plainText(Buttons.ACKNOWLEDGE_LABEL))
                    .value(incident.getIncidentId()).style("primary")))));
        }
        StringBuilder line = new StringBuilder().append('[').append(incident.getState()).append("] ").append(title)
                .append(" (").append(incident.getSeverity()).append(", ").append(escape(incident.getCategory())).append(')')
                .append(" - team ").append(escape(incident.getOwner().getTeam()));
        if (incident.getResource() != null) {
            line.append(", resource ").append(escape(incident.getResource()));
        }
        line.append(", ").append(incident.getOccurrences()).append(incident.getOccurrences() == 1 ? " occurrence" : " occurrences");
        if (incident.getAcknowledgedAt() != null) {
            line.append(", acknowledged ").append(plainTime(incident.getAcknowledgedAt()));
        }
        if (incident.getFlapping()) {
            line.append(", flapping: automation held");
        }
        if (incident.getPlaybook() != null) {
            line.append(", playbook ").append(escape(incident.getPlaybook()));
        }
        if (step != null) {
            line.append(", step ").append(step);
        }
        if (incident.getClosedReason() != null) {
            line.append(", closed: ").append(escape(incident.getClosedReason()));
        }
        line.append(" [incident ").append(escape(incident.getIncidentId())).append(']');
        return new SlackMessage(line.toString(), blocks);
    }

    private SlackMessage group(Notification n) {
        List<GroupMember> members = n.getMembers();
        String team = escape(n.getTeam());
        String category = n.getIncident() == null ? null : escape(n.getIncident().getCategory());
        String head = ":rotating_light: *" + members.size() + " incidents* for team *" + team + "*" + (category == null ? "" : " · " + category);
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(head))));
        List<String> lines = new ArrayList<>();
        for (GroupMember member : members.subList(0, Math.min(members.size(), MAX_LISTED))) {
            lines.add("• " + emoji(member.getState()) + " *[" + member.getState() + "]* " + escape(member.getTitle()) + " — "
                    + member.getSeverity() + (member.getService() == null ? "" : ", " + escape(member.getService()))
                    + " · " + escape(member.getIncidentId()));
        }
        if (members.size() > MAX_LISTED) {
            lines.add("…and " + (members.size() - MAX_LISTED) + " more");
        }
        for (String chunk : chunks(lines)) {
            blocks.add(section(s -> s.text(markdownText(chunk))));
        }
        blocks.add(context(List.of(markdownText("Their updates are replies in this thread."))));
        String line = "[" + members.size() + " incidents] team " + team + (category == null ? "" : ", " + category) + ": "
                + members.stream().map(m -> "[" + m.getState() + "] " + escape(m.getTitle()) + " (" + escape(m.getIncidentId()) + ")")
                .collect(Collectors.joining("; "));
        return new SlackMessage(line, blocks);
    }

    private String approval(ApprovalRequest approval, List<LayoutBlock> blocks) {
        String what = "*" + escape(approval.getAction()) + "*" + (approval.getResource() == null ? "" : " on *" + escape(approval.getResource()) + "*");
        ApprovalStatus status = approval.getStatus();
        String head = switch (status) {
            case PENDING -> ":raised_hand: *Approval needed*: " + what;
            case APPROVED -> ":white_check_mark: *Approved*: " + what;
            case REJECTED -> ":x: *Rejected*: " + what;
            case EXPIRED -> ":hourglass: *Expired*, nobody decided: " + what;
            case CANCELLED -> ":heavy_minus_sign: *Cancelled*, its run ended: " + what;
            default -> "*Approval " + status + "*: " + what;
        };
        blocks.add(section(s -> s.text(markdownText(head))));
        blocks.add(section(s -> s.text(markdownText("*Plan*\n" + escape(approval.getPlan())))));
        List<TextObject> fields = new ArrayList<>();
        if (!approval.getStepName().isBlank()) {
            fields.add(field("Step", escape(approval.getStepName()) + (approval.getPlaybook().isBlank() ? "" : " (" + escape(approval.getPlaybook()) + ")")));
        }
        if (approval.getEnvironment() != null) {
            fields.add(field("Environment", escape(approval.getEnvironment())));
        }
        fields.add(field("Approvals needed", Integer.toString(approval.getRequiredApprovals())));
        if (!approval.getApprovers().isEmpty()) {
            fields.add(field("Who may approve", escapeAll(approval.getApprovers())));
        }
        if (status == ApprovalStatus.PENDING) {
            fields.add(field("Expires", time(approval.getExpiresAt())));
        } else if (approval.getDecidedAt() != null) {
            fields.add(field("Decided", time(approval.getDecidedAt())));
        }
        List<String> approvedBy = voters(approval.getVotes(), true, true);
        List<String> rejectedBy = voters(approval.getVotes(), false, true);
        List<String> notCounted = approval.getVotes().stream().filter(v -> !v.getCounted()).map(v -> escape(v.getBy())).toList();
        if (!approvedBy.isEmpty()) {
            fields.add(field("Approved by", String.join(", ", approvedBy)));
        }
        if (!rejectedBy.isEmpty()) {
            fields.add(field("Rejected by", String.join(", ", rejectedBy)));
        }
        if (!notCounted.isEmpty()) {
            fields.add(field("Not counted (may not approve)", String.join(", ", notCounted)));
        }
        blocks.add(section(s -> s.fields(fields)));
        if (status == ApprovalStatus.PENDING) {
            List<BlockElement> buttons = List.of(
                    button(b -> b.actionId(Buttons.APPROVE).text(plainText(Buttons.APPROVE_LABEL)).value(approval.getApprovalId()).style("primary")),
                    button(b -> b.actionId(Buttons.REJECT).text(plainText(Buttons.REJECT_LABEL)).value(approval.getApprovalId()).style("danger")));
            blocks.add(actions(buttons));
        }
        String subject = escape(approval.getAction()) + (approval.getResource() == null ? "" : " on " + escape(approval.getResource()));
        return switch (status) {
            case PENDING -> "approval needed: " + subject + " - " + escape(approval.getPlan()) + " (" + approval.getRequiredApprovals()
                    + " needed; ./pipeline approve " + escape(approval.getApprovalId()) + ")";
            default -> "approval " + escape(approval.getApprovalId()) + " " + status + ": " + subject
                    + (approvedBy.isEmpty() ? "" : ", approved by " + String.join(", ", approvedBy))
                    + (rejectedBy.isEmpty() ? "" : ", rejected by " + String.join(", ", rejectedBy));
        };
    }

    private String outcome(Notification n, RemediationOutcome outcome, List<LayoutBlock> blocks) {
        String step = "Step " + (outcome.getStepIndex() + 1) + (outcome.getStepName().isBlank() ? "" : " · " + escape(outcome.getStepName()))
                + " (" + escape(outcome.getAction()) + (outcome.getMode().equals("run") ? "" : ", " + escape(outcome.getMode())) + ")";
        String head = emoji(outcome.getStatus()) + " *" + step + ": " + outcome.getStatus() + "*" + (outcome.getDryRun() ? " (dry-run)" : "");
        blocks.add(section(s -> s.text(markdownText(head + "\n" + escape(outcome.getSummary())))));
        List<TextObject> fields = new ArrayList<>();
        if (outcome.getPlan() != null) {
            fields.add(field("Plan", escape(outcome.getPlan())));
        }
        if (outcome.getResource() != null) {
            fields.add(field("Resource", escape(outcome.getResource())));
        }
        if (!outcome.getApprovedBy().isEmpty()) {
            fields.add(field("Approved by", escapeAll(outcome.getApprovedBy())));
        }
        if (outcome.getGuardrail() != null) {
            fields.add(field("Guardrail", escape(outcome.getGuardrail())));
        }
        if (outcome.getError() != null) {
            fields.add(field("Error", escape(outcome.getError())));
        }
        if (outcome.getUndo() != null) {
            fields.add(field("Undo", escape(outcome.getUndo())));
        }
        if (!fields.isEmpty()) {
            blocks.add(section(s -> s.fields(fields)));
        }
        if (!outcome.getBefore().isEmpty() || !outcome.getAfter().isEmpty()) {
            List<TextObject> change = new ArrayList<>();
            change.add(field("Before", pairs(outcome.getBefore())));
            change.add(field("After", pairs(outcome.getAfter())));
            blocks.add(section(s -> s.fields(change)));
        }
        if (outcome.getStatus() != OutcomeStatus.FAILED && !outcome.getResults().isEmpty()) {
            blocks.add(section(s -> s.text(markdownText(cut("*Found*\n" + pairs(outcome.getResults()), MAX_SECTION)))));
        }
        if (outcome.getInstructions() != null) {
            blocks.add(section(s -> s.text(markdownText(cut(":point_right: *What to do*\n" + escape(outcome.getInstructions()), MAX_SECTION)))));
        }
        if ((outcome.getStatus() == OutcomeStatus.FAILED || outcome.getStatus() == OutcomeStatus.INTERRUPTED) && !circuitOpened(n)) {
            blocks.add(actions(List.of(button(b -> b.actionId(Buttons.RETRY).text(plainText(Buttons.RETRY_LABEL)).value(outcome.getRequestId())))));
        }
        return "step " + (outcome.getStepIndex() + 1) + " " + escape(outcome.getAction()) + ": " + outcome.getStatus() + " - "
                + escape(outcome.getSummary()) + (outcome.getInstructions() == null ? "" : " - to do: " + escape(outcome.getInstructions()));
    }

    private String decision(ApprovalDecision decision, List<LayoutBlock> blocks) {
        String verb = decision.getApproved() ? "approved" : "rejected";
        String line = escape(decision.getDecidedBy()) + " " + verb + " approval " + escape(decision.getApprovalId())
                + (decision.getReason() == null ? "" : ": " + escape(decision.getReason()));
        blocks.add(section(s -> s.text(markdownText((decision.getApproved() ? ":white_check_mark: *" : ":x: *") + escape(decision.getDecidedBy())
                + "* " + verb + " approval " + escape(decision.getApprovalId()) + " · " + time(decision.getDecidedAt())
                + (decision.getReason() == null ? "" : "\n" + escape(decision.getReason()))))));
        return line;
    }

    private String run(PlaybookRun run, List<LayoutBlock> blocks) {
        String why = run.getReason() == null ? "" : ": " + escape(run.getReason());
        blocks.add(section(s -> s.text(markdownText(":sos: *Playbook " + escape(run.getPlaybook()) + " " + run.getStatus() + "*" + why))));
        return "playbook " + escape(run.getPlaybook()) + " " + run.getStatus() + why;
    }

    private String stateChange(String event, Incident incident, List<LayoutBlock> blocks) {
        String title = escape(title(incident));
        blocks.add(section(s -> s.text(markdownText(emoji(incident.getState()) + " *" + escape(event) + "*: " + title + " is "
                + incident.getState() + " · " + incident.getOccurrences() + (incident.getOccurrences() == 1 ? " occurrence" : " occurrences")
                + (incident.getClosedReason() == null ? "" : "\nClosed: " + escape(incident.getClosedReason()))))));
        return escape(event) + ": " + title + " (" + incident.getState() + ", " + incident.getOccurrences()
                + (incident.getOccurrences() == 1 ? " occurrence)" : " occurrences)");
    }

    /** The context line of a reply: which incident it is about. */
    private static String names(Notification n) {
        Incident incident = n.getIncident();
        return "Incident " + escape(n.getIncidentId()) + (incident == null ? "" : " · " + escape(title(incident)));
    }

    private static boolean circuitOpened(Notification n) {
        return "circuit-open".equals(n.getEvent())
                || n.getOutcome() != null && "circuit-breaker".equals(n.getOutcome().getGuardrail());
    }

    private static String currentAction(PlaybookRun run) {
        StepRun step = step(run);
        return step == null ? null : step.getAction();
    }

    private static String currentStep(PlaybookRun run) {
        if (run == null) {
            return null;
        }
        StepRun step = step(run);
        return step == null ? run.getStatus().name()
                : (step.getIndex() + 1) + ". " + escape(step.getName()) + " (" + escape(step.getAction()) + "): " + step.getStatus();
    }

    private static StepRun step(PlaybookRun run) {
        return run == null || run.getCurrentStep() < 0 || run.getCurrentStep() >= run.getSteps().size() ? null
                : run.getSteps().get(run.getCurrentStep());
    }

    private static List<String> voters(List<Vote> votes, boolean approved, boolean counted) {
        return votes.stream().filter(v -> v.getApproved() == approved && v.getCounted() == counted).map(v -> escape(v.getBy())).toList();
    }

    private static String title(Incident incident) {
        return incident.getTitle() != null ? incident.getTitle() : incident.getName();
    }

    private static MarkdownTextObject field(String name, String value) {
        return markdownText(cut("*" + name + "*\n" + value, MAX_FIELD));
    }

    private static String pairs(Map<String, String> values) {
        if (values.isEmpty()) {
            return "-";
        }
        return values.entrySet().stream().map(e -> escape(e.getKey()) + ": " + escape(e.getValue())).collect(Collectors.joining("\n"));
    }

    private static String escapeAll(List<String> values) {
        return values.stream().map(SlackText::escape).collect(Collectors.joining(", "));
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static List<String> chunks(List<String> lines) {
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (String line : lines) {
            String cutLine = cut(line, MAX_SECTION);
            if (chunk.length() > 0 && chunk.length() + 1 + cutLine.length() > MAX_SECTION) {
                chunks.add(chunk.toString());
                chunk.setLength(0);
            }
            chunk.append(chunk.length() == 0 ? "" : "\n").append(cutLine);
        }
        if (chunk.length() > 0) {
            chunks.add(chunk.toString());
        }
        return chunks;
    }

    /** A time Slack shows in each reader's own time zone, with UTC for clients that cannot. */
    static String time(Instant at) {
        return "<!date^" + at.getEpochSecond() + "^{date_short_pretty} {time}|" + plainTime(at) + ">";
    }

    static String plainTime(Instant at) {
        return PLAIN_TIME.format(at);
    }

    private static String emoji(IncidentState state) {
        return switch (state) {
            case OPEN -> ":red_circle:";
            case ACKNOWLEDGED -> ":large_orange_circle:";
            case RESOLVED -> ":large_green_circle:";
            default -> ":white_circle:";
        };
    }

    private static String emoji(OutcomeStatus status) {
        return switch (status) {
            case SUCCEEDED -> ":white_check_mark:";
            case FAILED, INTERRUPTED -> ":x:";
            case REFUSED -> ":no_entry:";
            case PLANNED -> ":memo:";
            case HANDED_OVER -> ":point_right:";
            case AWAITING_APPROVAL -> ":raised_hand:";
            case WAITING -> ":hourglass_flowing_sand:";
            default -> ":information_source:";
        };
    }
}
