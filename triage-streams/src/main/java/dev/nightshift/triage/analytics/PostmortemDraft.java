package dev.nightshift.triage.analytics;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentHistory;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.StepStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A post-mortem draft in Markdown, from an incident's records alone: what happened (alerts, owner, impact window),
 * the timeline, what the automation did and why (each step's plan, approvers, before and after), what people did,
 * what stayed manual, MTTA and MTTR, and the playbook's steps that did not run.
 */
public final class PostmortemDraft {
    /** Steps of a run that did nothing to the outside world. */
    private static final Set<StepStatus> NOT_RUN = EnumSet.of(StepStatus.PENDING, StepStatus.CANCELLED, StepStatus.SKIPPED,
            StepStatus.REFUSED, StepStatus.PLANNED, StepStatus.AWAITING_APPROVAL);
    /** A step's outcomes that say how it ended (not that it waits). */
    private static final Set<OutcomeStatus> ENDED = EnumSet.of(OutcomeStatus.SUCCEEDED, OutcomeStatus.FAILED, OutcomeStatus.PLANNED,
            OutcomeStatus.REFUSED, OutcomeStatus.SKIPPED, OutcomeStatus.INTERRUPTED, OutcomeStatus.CANCELLED);

    private PostmortemDraft() {
    }

    public static String markdown(IncidentHistory history) {
        Incident latest = IncidentHistories.latest(history);
        IncidentOutcome outcome = history.getOutcome();
        StringBuilder md = new StringBuilder();
        String name = latest != null ? latest.getName() : outcome != null ? outcome.getName() : history.getIncidentId();
        String title = latest != null && latest.getTitle() != null ? latest.getTitle() : name;
        md.append("# Post-mortem draft: ").append(title).append("\n\nIncident `").append(history.getIncidentId()).append("`\n\n");

        md.append("## What happened\n\n");
        Instant opened = IncidentHistories.openedAt(history);
        Instant closed = outcome != null ? outcome.getClosedAt() : latest != null ? latest.getResolvedAt() : null;
        if (latest != null || outcome != null) {
            String team = outcome != null ? outcome.getOwner().getTeam() : latest.getOwner().getTeam();
            String service = outcome != null ? outcome.getOwner().getService() : latest.getOwner().getService();
            long occurrences = outcome != null ? outcome.getOccurrences() : latest.getOccurrences();
            md.append("- Alert: **").append(name).append("**, fired ").append(occurrences).append(occurrences == 1 ? " time" : " times");
            if (latest != null) {
                md.append(" (").append(latest.getSource()).append(", ").append(latest.getSeverity()).append(", ").append(latest.getCategory())
                        .append(latest.getResource() == null ? "" : ", resource " + latest.getResource()).append(')');
            }
            md.append("\n- Owner: team ").append(team).append(service == null ? "" : ", service " + service).append('\n');
            md.append("- Impact window: ").append(opened).append(" to ").append(closed == null ? "(still open)" : closed)
                    .append(closed == null || opened == null ? "" : " (" + human(Duration.between(opened, closed).toMillis()) + ")").append('\n');
            if (outcome != null) {
                md.append("- Ended: ").append(outcome.getFinalState()).append(", ").append(outcome.getClosedReason())
                        .append(outcome.getResolvedByAutomation() ? "; resolved by automation alone" : "").append('\n');
            }
        }

        md.append("\n## Timeline\n\n| time (UTC) | what |\n|---|---|\n");
        for (IncidentTimeline.Entry entry : IncidentTimeline.of(history)) {
            md.append("| ").append(entry.at()).append(" | ").append(cell(entry.text())).append(" |\n");
        }

        md.append("\n## What the automation did and why\n\n");
        List<RemediationOutcome> automated = history.getSteps().stream()
                .filter(s -> s.getStatus() != OutcomeStatus.HANDED_OVER && ENDED.contains(s.getStatus()))
                // in the order they finished (as the timeline has them), whatever order their records arrived in
                .sorted(Comparator.comparing(RemediationOutcome::getFinishedAt).thenComparingInt(RemediationOutcome::getStepIndex))
                .toList();
        if (automated.isEmpty()) {
            md.append("No automated step ran.\n");
        }
        for (RemediationOutcome step : automated) {
            md.append("### Step ").append(step.getStepIndex() + 1).append(": ").append(step.getStepName().isEmpty() ? step.getAction() : step.getStepName())
                    .append(" (").append(step.getAction()).append(") - ").append(step.getStatus()).append(step.getDryRun() ? ", dry run" : "").append("\n\n");
            md.append("- Why: playbook ").append(step.getPlaybook()).append('\n');
            md.append("- Plan: ").append(step.getPlan() == null ? step.getSummary() : step.getPlan()).append('\n');
            md.append("- Approved by: ").append(step.getApprovedBy().isEmpty() ? "no approval needed" : String.join(", ", step.getApprovedBy())).append('\n');
            md.append("- Before: ").append(pairs(step.getBefore())).append('\n');
            md.append("- After: ").append(pairs(step.getAfter())).append('\n');
            if (!step.getResults().isEmpty()) {
                md.append("- Results: ").append(pairs(step.getResults())).append('\n');
            }
            if (step.getGuardrail() != null) {
                md.append("- Guardrail: ").append(step.getGuardrail()).append('\n');
            }
            if (step.getError() != null) {
                md.append("- Error: ").append(step.getError()).append('\n');
            }
            md.append("- Outcome: ").append(step.getSummary()).append("\n\n");
        }

        md.append("\n## What people did\n\n");
        int said = 0;
        for (IncidentTimeline.Entry entry : IncidentTimeline.of(history)) {
            if (entry.kind().equals("acknowledgement") || entry.kind().equals("note")) {
                md.append("- ").append(entry.at()).append(": ").append(entry.text()).append('\n');
                said++;
            }
        }
        for (RemediationOutcome step : automated) {
            if (!step.getApprovedBy().isEmpty()) {
                md.append("- approved step ").append(step.getStepIndex() + 1).append(" (").append(step.getAction()).append("): ")
                        .append(String.join(", ", step.getApprovedBy())).append('\n');
                said++;
            }
        }
        if (said == 0) {
            md.append("Nobody acknowledged it or approved a step.\n");
        }

        md.append("\n## What stayed manual\n\n");
        List<RemediationOutcome> handedOver = history.getSteps().stream().filter(s -> s.getStatus() == OutcomeStatus.HANDED_OVER).toList();
        if (handedOver.isEmpty()) {
            md.append("No step was handed over to people.\n");
        }
        for (RemediationOutcome step : handedOver) {
            md.append("- Step ").append(step.getStepIndex() + 1).append(' ').append(step.getStepName()).append(": ")
                    .append(step.getInstructions() == null ? step.getSummary() : step.getInstructions()).append('\n');
        }

        md.append("\n## Figures\n\n");
        Long tta = outcome != null ? outcome.getTimeToAcknowledgeMillis()
                : latest != null && latest.getAcknowledgedAt() != null ? Duration.between(latest.getOpenedAt(), latest.getAcknowledgedAt()).toMillis() : null;
        Long ttr = outcome != null ? outcome.getTimeToResolveMillis()
                : latest != null && latest.getResolvedAt() != null ? Duration.between(latest.getOpenedAt(), latest.getResolvedAt()).toMillis() : null;
        Long firstStep = outcome != null ? outcome.getTimeToFirstActionMillis()
                : latest != null && latest.getFirstActionAt() != null ? Duration.between(latest.getOpenedAt(), latest.getFirstActionAt()).toMillis() : null;
        md.append("- MTTA: ").append(tta == null ? "not acknowledged" : human(tta)).append('\n');
        md.append("- MTTR: ").append(ttr == null ? "not resolved" : human(ttr)).append('\n');
        md.append("- Time to first automated step: ").append(firstStep == null ? "none ran" : human(firstStep)).append('\n');

        md.append("\n## Playbook steps that did not run\n\n");
        int notRun = 0;
        for (PlaybookRun run : history.getLatestRuns()) {
            for (StepRun step : run.getSteps()) {
                if (NOT_RUN.contains(step.getStatus())) {
                    md.append("- ").append(run.getPlaybook()).append(" run ").append(run.getRun()).append(", step ").append(step.getIndex() + 1)
                            .append(' ').append(step.getName()).append(" (").append(step.getAction()).append("): ").append(step.getStatus())
                            .append(step.getSummary() == null ? "" : " - " + step.getSummary()).append('\n');
                    notRun++;
                }
            }
        }
        if (notRun == 0) {
            md.append(history.getLatestRuns().isEmpty() ? "No playbook ran.\n" : "Every step ran.\n");
        }
        return md.toString();
    }

    /** 45 s, 5 min, 1 h 5 min, 2 d 3 h. */
    public static String human(long millis) {
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        long hours = minutes / 60;
        if (hours < 48) {
            return hours + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
        }
        return hours / 24 + " d" + (hours % 24 == 0 ? "" : " " + hours % 24 + " h");
    }

    private static String pairs(Map<String, String> values) {
        return values.isEmpty() ? "(nothing recorded)" : values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
