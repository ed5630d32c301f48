package dev.nightshift.notifier.jira;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.Incident;
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
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.nightshift.notifier.jira.Adf.inline;
import static dev.nightshift.notifier.jira.Adf.strong;
import static dev.nightshift.notifier.jira.Adf.text;

/**
 * What a ticket says, in Atlassian Document Format: its summary (the incident's title, else its alert's name), its
 * description (what the incident is, whose, where, since when, its links) and one comment per notification (a step's
 * outcome with its plan, before and after and approvers; an approval and its decision; a hand-over's instructions; a
 * state change; an escalation). Every value from a record is a text node (see {@link Adf}).
 */
final class JiraContent {
    /** Jira's limit on a summary. */
    static final int MAX_SUMMARY = 255;
    /** The most entries of one map (before, after, results) a comment lists. */
    static final int MAX_ENTRIES = 30;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private JiraContent() {
    }

    /** One line of at most 255 characters: Jira refuses a summary with a line break. */
    static String summary(Notification notification) {
        Incident incident = notification.getIncident();
        String summary = incident == null ? "Incident " + notification.getIncidentId()
                : firstNonBlank(incident.getTitle(), incident.getName(), "Incident " + notification.getIncidentId());
        String line = Adf.clean(summary).replaceAll("\\s+", " ").trim();
        return line.length() > MAX_SUMMARY ? line.substring(0, MAX_SUMMARY - 1) + "…" : line;
    }

    static ObjectNode description(Notification notification) {
        Incident incident = notification.getIncident();
        List<ObjectNode> blocks = new ArrayList<>();
        blocks.add(Adf.paragraph(inline(text("nightshift opened this ticket for incident "), strong(notification.getIncidentId()), text("."))));
        addText(blocks, notification.getText());
        if (incident != null) {
            blocks.add(Adf.heading(3, "The incident"));
            List<List<ObjectNode>> fields = new ArrayList<>();
            field(fields, "Severity", incident.getSeverity());
            field(fields, "State", incident.getState());
            field(fields, "Alert", incident.getName());
            field(fields, "Source", incident.getSource());
            field(fields, "Category", incident.getCategory());
            if (incident.getOwner() != null) {
                field(fields, "Owner", incident.getOwner().getTeam());
                field(fields, "Service", incident.getOwner().getService());
                field(fields, "Environment", incident.getOwner().getEnvironment());
            }
            field(fields, "Resource", incident.getResource());
            field(fields, "Account", incident.getAccount());
            field(fields, "Region", incident.getRegion());
            field(fields, "Playbook", incident.getPlaybook());
            field(fields, "Opened", time(incident.getOpenedAt()));
            if (incident.getOccurrences() > 1) {
                field(fields, "Occurrences", incident.getOccurrences());
            }
            field(fields, "Incident id", incident.getIncidentId());
            list(blocks, fields);
            Map<String, String> links = IncidentLinks.of(incident);
            if (!links.isEmpty()) {
                blocks.add(Adf.heading(3, "Links"));
                blocks.add(Adf.bulletList(links.entrySet().stream().map(l -> Adf.link(l.getKey(), l.getValue())).toList()));
            }
        }
        blocks.add(Adf.heading(3, "What this ticket follows"));
        blocks.add(Adf.paragraph(text("Each remediation step, approval and hand-over is added here as a comment. The ticket moves to "
                + "done when the incident resolves and back when it reopens.")));
        return Adf.doc(blocks);
    }

    /** The comment of a notification: the planner's own sentence first, then what its record tells. */
    static ObjectNode comment(Notification notification) {
        List<ObjectNode> blocks = new ArrayList<>();
        addText(blocks, notification.getText());
        if (notification.getOutcome() != null) {
            step(blocks, notification.getOutcome());
        } else if (notification.getApproval() != null) {
            approval(blocks, notification.getApproval());
        } else if (notification.getDecision() != null) {
            decision(blocks, notification.getDecision());
        } else if (notification.getRun() != null) {
            run(blocks, notification.getRun());
        } else if (notification.getIncident() != null) {
            stateChange(blocks, notification.getEvent(), notification.getIncident());
        }
        if (blocks.isEmpty()) {
            blocks.add(Adf.paragraph(inline(text("Incident " + notification.getIncidentId() + ": "), text(notification.getEvent()))));
        }
        return Adf.doc(blocks);
    }

    private static void step(List<ObjectNode> blocks, RemediationOutcome outcome) {
        String name = outcome.getStepName() == null || outcome.getStepName().isBlank() ? "" : " " + outcome.getStepName();
        blocks.add(Adf.paragraph(inline(
                strong("Step " + (outcome.getStepIndex() + 1) + name + " (" + outcome.getAction() + "): " + outcome.getStatus()),
                text(outcome.getDryRun() ? " (dry run)" : ""),
                text("undo".equals(outcome.getMode()) ? " (taking back an earlier change)" : ""))));
        addText(blocks, outcome.getSummary());
        List<List<ObjectNode>> fields = new ArrayList<>();
        field(fields, "Plan", outcome.getPlan());
        field(fields, "Resource", outcome.getResource());
        field(fields, "Environment", outcome.getEnvironment());
        field(fields, "Approved by", String.join(", ", outcome.getApprovedBy()));
        field(fields, "Refused by guardrail", outcome.getGuardrail());
        field(fields, "Error", outcome.getError());
        field(fields, "How to take it back", outcome.getUndo());
        field(fields, "Playbook", outcome.getPlaybook());
        field(fields, "Finished", time(outcome.getFinishedAt()));
        list(blocks, fields);
        entries(blocks, "Before", outcome.getBefore());
        entries(blocks, "After", outcome.getAfter());
        entries(blocks, "Results", outcome.getResults());
        if (outcome.getStatus() == OutcomeStatus.HANDED_OVER) {
            blocks.add(Adf.heading(3, "Over to you"));
            blocks.add(Adf.paragraph(text(firstNonBlank(outcome.getInstructions(), "This step is for a person: see the playbook.", null))));
        }
    }

    private static void approval(List<ObjectNode> blocks, ApprovalRequest approval) {
        String step = approval.getStepName() == null || approval.getStepName().isBlank() ? "" : " " + approval.getStepName();
        blocks.add(Adf.paragraph(strong("Approval of step" + step + " (" + approval.getAction() + "): " + approval.getStatus())));
        List<List<ObjectNode>> fields = new ArrayList<>();
        field(fields, "Plan", approval.getPlan());
        field(fields, "Resource", approval.getResource());
        field(fields, "Environment", approval.getEnvironment());
        field(fields, "Approvals needed", approval.getRequiredApprovals());
        field(fields, "Approved by", voters(approval.getVotes(), true));
        field(fields, "Rejected by", voters(approval.getVotes(), false));
        field(fields, "Not counted (may not approve)", approval.getVotes().stream().filter(v -> !v.getCounted()).map(Vote::getBy)
                .collect(Collectors.joining(", ")));
        field(fields, "Requested", time(approval.getRequestedAt()));
        field(fields, "Decided", time(approval.getDecidedAt()));
        field(fields, "Expires", approval.getDecidedAt() == null ? time(approval.getExpiresAt()) : null);
        list(blocks, fields);
    }

    private static void decision(List<ObjectNode> blocks, ApprovalDecision decision) {
        blocks.add(Adf.paragraph(inline(strong(decision.getDecidedBy()), text(decision.getApproved() ? " approved" : " rejected"),
                text(" (through " + decision.getChannel() + ")"))));
        List<List<ObjectNode>> fields = new ArrayList<>();
        field(fields, "Reason", decision.getReason());
        field(fields, "Approval", decision.getApprovalId());
        field(fields, "When", time(decision.getDecidedAt()));
        list(blocks, fields);
    }

    private static void run(List<ObjectNode> blocks, PlaybookRun run) {
        blocks.add(Adf.paragraph(strong("Playbook " + run.getPlaybook() + " (run " + run.getRun() + "): " + run.getStatus())));
        List<List<ObjectNode>> fields = new ArrayList<>();
        field(fields, "Why", run.getReason());
        run.getSteps().stream().filter(s -> s.getIndex() == run.getCurrentStep()).findFirst()
                .ifPresent((StepRun s) -> field(fields, "At step", (s.getIndex() + 1) + " " + s.getName() + " (" + s.getAction() + "): " + s.getStatus()));
        field(fields, "Resource", run.getResource());
        list(blocks, fields);
    }

    private static void stateChange(List<ObjectNode> blocks, String event, Incident incident) {
        blocks.add(Adf.paragraph(inline(strong("Incident " + event), text(": now " + incident.getState()))));
        List<List<ObjectNode>> fields = new ArrayList<>();
        field(fields, "Acknowledged", time(incident.getAcknowledgedAt()));
        field(fields, "Resolved", time(incident.getResolvedAt()));
        field(fields, "Closed because", incident.getClosedReason());
        field(fields, "Occurrences", incident.getOccurrences());
        field(fields, "Flapping", incident.getFlapping() ? "yes: automation held" : null);
        field(fields, "Reopened", incident.getReopenCount() > 0 ? incident.getReopenCount() + " times" : null);
        list(blocks, fields);
    }

    private static String voters(List<Vote> votes, boolean approved) {
        return votes.stream().filter(v -> v.getCounted() && v.getApproved() == approved).map(Vote::getBy).collect(Collectors.joining(", "));
    }

    private static void entries(List<ObjectNode> blocks, String title, Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        blocks.add(Adf.paragraph(strong(title)));
        List<List<ObjectNode>> items = new ArrayList<>();
        new TreeMap<>(values).entrySet().stream().limit(MAX_ENTRIES)
                .forEach(e -> items.add(inline(strong(e.getKey() + ": "), text(e.getValue() == null || e.getValue().isBlank() ? "(empty)" : e.getValue()))));
        if (values.size() > MAX_ENTRIES) {
            items.add(text("and " + (values.size() - MAX_ENTRIES) + " more"));
        }
        blocks.add(Adf.bulletList(items));
    }

    /** A bullet list of the items, none when there are none (ADF refuses an empty list). */
    private static void list(List<ObjectNode> blocks, List<List<ObjectNode>> items) {
        if (!items.isEmpty()) {
            blocks.add(Adf.bulletList(items));
        }
    }

    private static void addText(List<ObjectNode> blocks, String text) {
        List<ObjectNode> nodes = text(text);
        if (!nodes.isEmpty()) {
            blocks.add(Adf.paragraph(nodes));
        }
    }

    /** A list item "Label: value", left out when the value is null or blank. */
    private static void field(List<List<ObjectNode>> fields, String label, Object value) {
        List<ObjectNode> nodes = value == null ? List.of() : text(String.valueOf(value));
        if (!nodes.isEmpty()) {
            fields.add(inline(strong(label + ": "), nodes));
        }
    }

    private static String time(Instant at) {
        return at == null ? null : TIME.format(at);
    }

    private static String firstNonBlank(String first, String second, String third) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : third;
    }
}
