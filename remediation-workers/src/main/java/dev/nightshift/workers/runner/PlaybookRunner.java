package dev.nightshift.workers.runner;

import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.CommandKind;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.PlaybookCommand;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.RunnerState;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.StepStatus;
import dev.nightshift.schema.Vote;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.playbook.FailurePolicy;
import dev.nightshift.workers.playbook.Playbook;
import dev.nightshift.workers.playbook.PlaybookStep;
import dev.nightshift.workers.playbook.Variables;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The playbook run of one incident, as a state machine: pure functions of the incident's runner
 * state, an input and its {@link Surroundings}, returning the new state and what to publish. The
 * rules:
 * <ul>
 *   <li>an incident that opens (or reopens) with a known playbook starts a run at its first step;
 *   while the incident flaps the run is HELD, and goes on when it settles;</li>
 *   <li>each step, in order: a false {@code when} skips it; a manual step is handed over; then the
 *   guardrails in their order: dry-run (the step is planned only), pause (skipped, with the reason),
 *   approval (asked, and the run waits), and, for a live change, the blast radius and the circuit
 *   breaker, which the action's guard holds (the step is proposed to it);</li>
 *   <li>a step's outcome moves the run on; a failure follows the step's policy (stop, continue,
 *   escalate); a refusal of a change, a refused or expired approval and an interrupted step stop the
 *   run and escalate it; a step that reads (enrichment) never blocks the fix after it;</li>
 *   <li>a WAITING step is looked at again when it asks, by a request the runner sends (no thread waits);
 *   a step past its timeout fails, and a live change with no outcome by then is first asked about
 *   ({@code recover}) and then reported INTERRUPTED, never run again blindly;</li>
 *   <li>an incident that resolves cancels the steps not yet started; a person can retry a failed or
 *   interrupted step and undo a finished change, behind the same guardrails.</li>
 * </ul>
 * Times are the wall clock's ({@link Surroundings#now()}).
 */
public final class PlaybookRunner {
    static final String RUN = "run";
    static final String CHECK = "check";
    static final String UNDO = "undo";
    static final String RECOVER = "recover";
    private static final Set<StepStatus> FINAL = Set.of(StepStatus.SUCCEEDED, StepStatus.FAILED, StepStatus.PLANNED,
            StepStatus.REFUSED, StepStatus.SKIPPED, StepStatus.INTERRUPTED, StepStatus.CANCELLED, StepStatus.HANDED_OVER);
    private static final Set<RunStatus> ENDED = Set.of(RunStatus.COMPLETED, RunStatus.STOPPED, RunStatus.ESCALATED, RunStatus.CANCELLED);

    /**
     * The runner's knobs.
     *
     * @param approvalTimeout how long an approval request waits before it expires
     * @param recoverGrace    how long, after a live change's deadline, the workers have to say what it did
     */
    public record Settings(Duration approvalTimeout, Duration recoverGrace) {
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(30), Duration.ofMinutes(1));
        }
    }

    /** The new state and what to publish; {@code changed} when the state must be stored. */
    public record Result(RunnerState state, List<RunnerOutput> outputs, boolean changed) {
        static Result unchanged(RunnerState state) {
            return new Result(state, List.of(), false);
        }
    }

    private final Settings settings;

    public PlaybookRunner(Settings settings) {
        this.settings = settings;
    }

    public static RunnerState newState() {
        return RunnerState.newBuilder().build();
    }

    /** A new version of the incident: starts, holds, resumes or cancels its run. */
    public Result onIncident(RunnerState current, Incident incident, Surroundings world) {
        RunnerState state = current == null ? newState() : current;
        Incident previous = state.getIncident();
        if (previous != null && previous.getIncidentId().equals(incident.getIncidentId()) && previous.getVersion() > incident.getVersion()) {
            return Result.unchanged(state);   // an older version, delivered late
        }
        state.setIncident(incident);
        List<RunnerOutput> out = new ArrayList<>();
        PlaybookRun run = state.getRun();
        boolean sameIncident = run != null && run.getIncidentId().equals(incident.getIncidentId());
        boolean open = incident.getState() == IncidentState.OPEN || incident.getState() == IncidentState.ACKNOWLEDGED;
        long now = world.now();
        if (!open) {
            if (sameIncident && !ENDED.contains(run.getStatus())) {
                cancel(state, "the incident " + incident.getState().name().toLowerCase(Locale.ROOT), now, out);
            }
            return new Result(state, out, true);
        }
        Optional<Playbook> playbook = world.playbook(incident.getPlaybook());
        boolean reopened = sameIncident && "reopened".equals(incident.getChange()) && ENDED.contains(run.getStatus());
        if (playbook.isPresent() && (!sameIncident || reopened)) {
            run = start(state, incident, playbook.get(), world, now);
            out.add(new RunnerOutput.RunChanged(copy(run)));
        } else if (!sameIncident) {
            return new Result(state, out, true);   // no playbook, or one the runner does not know: nothing to run
        }
        if (incident.getFlapping() && (run.getStatus() == RunStatus.RUNNING || run.getStatus() == RunStatus.HELD)) {
            if (run.getStatus() != RunStatus.HELD) {
                run.setStatus(RunStatus.HELD);
                run.setReason("the incident is flapping; its automation is held until it settles");
                published(run, now, out);
            }
            return new Result(state, out, true);
        }
        if (run.getStatus() == RunStatus.HELD && !incident.getFlapping()) {
            run.setStatus(RunStatus.RUNNING);
            run.setReason(null);
            published(run, now, out);
        }
        advance(state, world, out);
        return new Result(state, out, true);
    }

    /** A step's outcome: records it and moves the run on. */
    public Result onOutcome(RunnerState state, RemediationOutcome outcome, Surroundings world) {
        PlaybookRun run = state == null ? null : state.getRun();
        if (run == null || !run.getIncidentId().equals(outcome.getIncidentId())) {
            return Result.unchanged(state);
        }
        Optional<StepRun> found = run.getSteps().stream().filter(s -> outcome.getRequestId().equals(s.getRequestId())).findFirst();
        if (found.isEmpty() || FINAL.contains(found.get().getStatus())) {
            return Result.unchanged(state);   // another run's, or a step already settled (a redelivery, a late recovery)
        }
        List<RunnerOutput> out = new ArrayList<>();
        record(state, found.get(), outcome, world, out);
        return new Result(state, out, true);
    }

    /** A person's decision on the run's approval request. */
    public Result onDecision(RunnerState state, ApprovalDecision decision, Surroundings world) {
        ApprovalRequest approval = state == null ? null : state.getApproval();
        if (approval == null || !approval.getApprovalId().equals(decision.getApprovalId()) || approval.getStatus() != ApprovalStatus.PENDING) {
            return Result.unchanged(state);
        }
        long now = world.now();
        List<RunnerOutput> out = new ArrayList<>();
        List<String> names = namesOf(decision);
        Optional<String> approver = approverAmong(approval.getApprovers(), names);
        boolean allowed = approver.isPresent();
        // A vote is by the person as they decided, or, when only their other name is on the list, by that listed name:
        // the step's approvedBy then names each approver as the list does, and one person counts once.
        String person = approver.filter(a -> !a.equalsIgnoreCase(names.get(0))).orElse(names.get(0));
        List<Vote> votes = new ArrayList<>(approval.getVotes());
        votes.removeIf(v -> v.getCounted() && (v.getBy().equalsIgnoreCase(person) || names.stream().anyMatch(v.getBy()::equalsIgnoreCase)));
        votes.add(Vote.newBuilder().setBy(person).setApproved(decision.getApproved()).setChannel(decision.getChannel())
                .setCounted(allowed).setReason(decision.getReason()).setAt(decision.getDecidedAt()).build());
        approval.setVotes(votes);
        StepRun step = stepOf(state.getRun(), approval.getRequestId());
        if (!allowed) {
            out.add(new RunnerOutput.ApprovalChanged(copy(approval)));
            return new Result(state, out, true);   // recorded, not counted
        }
        if (!decision.getApproved()) {
            approval.setStatus(ApprovalStatus.REJECTED);
            approval.setDecidedAt(Instant.ofEpochMilli(now));
            out.add(new RunnerOutput.ApprovalChanged(copy(approval)));
            state.setApproval(null);
            refuse(state, step, "approval", "rejected by " + person + (decision.getReason() == null ? "" : ": " + decision.getReason()),
                    world, out);
            return new Result(state, out, true);
        }
        List<String> approvedBy = votes.stream().filter(v -> v.getCounted() && v.getApproved()).map(Vote::getBy).distinct().toList();
        if (approvedBy.size() < approval.getRequiredApprovals()) {
            out.add(new RunnerOutput.ApprovalChanged(copy(approval)));
            return new Result(state, out, true);
        }
        approval.setStatus(ApprovalStatus.APPROVED);
        approval.setDecidedAt(Instant.ofEpochMilli(now));
        out.add(new RunnerOutput.ApprovalChanged(copy(approval)));
        state.setApproval(null);
        step.setApprovedBy(approvedBy);
        PlaybookRun run = state.getRun();
        run.setStatus(RunStatus.RUNNING);
        run.setReason(null);
        if (world.paused(service(state)).isPresent()) {
            skipPaused(state, step, world.paused(service(state)).get(), world, out);
            advance(state, world, out);
            return new Result(state, out, true);
        }
        propose(state, step, approvedBy, world, out);
        published(run, now, out);
        return new Result(state, out, true);
    }

    /** The names a decision gives its person: who decided, then their other names (a Slack user's e-mail). */
    private static List<String> namesOf(ApprovalDecision decision) {
        List<String> names = new ArrayList<>();
        names.add(decision.getDecidedBy() == null ? "" : decision.getDecidedBy().trim());
        decision.getDecidedByAliases().stream().filter(a -> a != null && !a.isBlank()).map(String::trim).forEach(names::add);
        return names;
    }

    /**
     * The entry of the approvers' list that names the person, by any of their names (case aside): a Slack user whose
     * e-mail is on the list is that approver. Empty: the person may not approve this step.
     */
    static Optional<String> approverAmong(List<String> approvers, List<String> names) {
        for (String name : names) {
            Optional<String> listed = approvers.stream().filter(a -> a.equalsIgnoreCase(name)).findFirst();
            if (listed.isPresent()) {
                return listed;
            }
        }
        return Optional.empty();
    }

    /** A person asking to retry a failed or interrupted step, or to undo a finished change. */
    public Result onCommand(RunnerState state, PlaybookCommand command, Surroundings world) {
        PlaybookRun run = state == null ? null : state.getRun();
        StepRun step = run == null ? null : stepOf(run, command.getRequestId());
        if (step == null || (run.getStatus() == RunStatus.RUNNING || run.getStatus() == RunStatus.AWAITING_APPROVAL)) {
            return Result.unchanged(state);   // not this run's step, or the run is still in hand
        }
        Playbook playbook = world.playbook(run.getPlaybook()).orElse(null);
        if (playbook == null || step.getManual()) {
            return Result.unchanged(state);
        }
        ActionSpec spec = world.action(step.getAction()).orElse(null);
        boolean retry = command.getKind() == CommandKind.RETRY
                && Set.of(StepStatus.FAILED, StepStatus.INTERRUPTED, StepStatus.REFUSED).contains(step.getStatus());
        boolean undo = command.getKind() == CommandKind.UNDO && step.getStatus() == StepStatus.SUCCEEDED && spec != null && spec.undoable()
                && RUN.equals(step.getMode());
        if (!retry && !undo) {
            return Result.unchanged(state);
        }
        List<RunnerOutput> out = new ArrayList<>();
        Map<String, String> earlier = undo ? new LinkedHashMap<>(step.getResults()) : Map.of();
        step.setAttempt(step.getAttempt() + 1);
        step.setMode(undo ? UNDO : RUN);
        step.setStatus(StepStatus.PENDING);
        step.setRequestId(null);
        step.setApprovalId(null);
        step.setSummary((undo ? "undo" : "retry") + " asked by " + command.getBy());
        step.setDeadline(null);
        step.setCheckAt(null);
        step.setRecoverSent(false);
        if (undo) {
            step.setResults(earlier);
        }
        run.setStatus(RunStatus.RUNNING);
        run.setReason(null);
        run.setCurrentStep(step.getIndex());
        advance(state, world, out);
        return new Result(state, out, true);
    }

    /** The passing of time: expired approvals, steps to look at again, steps past their deadline. */
    public Result onTick(RunnerState state, Surroundings world) {
        PlaybookRun run = state == null ? null : state.getRun();
        if (run == null) {
            return Result.unchanged(state);
        }
        long now = world.now();
        List<RunnerOutput> out = new ArrayList<>();
        ApprovalRequest approval = state.getApproval();
        if (approval != null && approval.getStatus() == ApprovalStatus.PENDING && now >= approval.getExpiresAt().toEpochMilli()) {
            approval.setStatus(ApprovalStatus.EXPIRED);
            approval.setDecidedAt(Instant.ofEpochMilli(now));
            out.add(new RunnerOutput.ApprovalChanged(copy(approval)));
            state.setApproval(null);
            refuse(state, stepOf(run, approval.getRequestId()), "approval",
                    "nobody approved within " + settings.approvalTimeout(), world, out);
        }
        Playbook playbook = world.playbook(run.getPlaybook()).orElse(null);
        for (StepRun step : run.getSteps()) {
            if (playbook == null || FINAL.contains(step.getStatus()) || step.getRequestId() == null) {
                continue;
            }
            PlaybookStep definition = playbook.steps().get(step.getIndex());
            boolean overdue = step.getDeadline() != null && now >= step.getDeadline().toEpochMilli();
            if (step.getStatus() == StepStatus.WAITING && overdue) {
                recordByRunner(state, step, OutcomeStatus.FAILED, "timed out after " + definition.timeout() + " waiting for it to finish",
                        "timeout", world, out);
            } else if (step.getStatus() == StepStatus.WAITING && step.getCheckAt() != null && now >= step.getCheckAt().toEpochMilli()) {
                step.setCheckAt(null);
                out.add(new RunnerOutput.StepRequested(request(state, step, definition, CHECK, step.getResults(), step.getApprovedBy(),
                        false, world)));
            } else if (step.getStatus() == StepStatus.REQUESTED && overdue) {
                ActionSpec spec = world.action(step.getAction()).orElse(null);
                boolean liveChange = spec != null && spec.changes() && !world.dryRun(step.getAction());
                if (liveChange && !step.getRecoverSent()) {
                    step.setRecoverSent(true);
                    step.setDeadline(Instant.ofEpochMilli(now + settings.recoverGrace().toMillis()));
                    out.add(new RunnerOutput.StepRequested(request(state, step, definition, RECOVER, step.getResults(),
                            step.getApprovedBy(), false, world)));
                    published(run, now, out);
                } else if (liveChange) {
                    recordByRunner(state, step, OutcomeStatus.INTERRUPTED, "no outcome within " + definition.timeout()
                            + " and the workers could not say what it did; it may have started, and is not run again", "idempotency",
                            world, out);
                } else {
                    recordByRunner(state, step, OutcomeStatus.FAILED, "no outcome within " + definition.timeout(), "timeout", world, out);
                }
            }
        }
        return out.isEmpty() ? Result.unchanged(state) : new Result(state, out, true);
    }

    // ---- the run ----

    private PlaybookRun start(RunnerState state, Incident incident, Playbook playbook, Surroundings world, long now) {
        int number = state.getRuns() + 1;
        state.setRuns(number);
        state.setApproval(null);
        List<StepRun> steps = new ArrayList<>();
        for (PlaybookStep step : playbook.steps()) {
            steps.add(StepRun.newBuilder().setIndex(step.index()).setName(step.name())
                    .setAction(step.manual() ? "manual" : step.action()).setManual(step.manual()).setStatus(StepStatus.PENDING)
                    .setResults(new LinkedHashMap<>()).setApprovedBy(new ArrayList<>()).build());
        }
        PlaybookRun run = PlaybookRun.newBuilder().setIncidentId(incident.getIncidentId()).setPlaybook(playbook.name())
                .setRun(number).setStatus(RunStatus.RUNNING).setOwner(incident.getOwner()).setService(incident.getOwner().getService())
                .setEnvironment(environment(incident, world)).setResource(incident.getResource()).setCurrentStep(0).setSteps(steps)
                .setStartedAt(Instant.ofEpochMilli(now)).setUpdatedAt(Instant.ofEpochMilli(now)).setVersion(1).build();
        state.setRun(run);
        return run;
    }

    /** Takes the run as far as it goes now: through skipped and handed-over steps up to the next that must wait. */
    private void advance(RunnerState state, Surroundings world, List<RunnerOutput> out) {
        PlaybookRun run = state.getRun();
        Playbook playbook = world.playbook(run.getPlaybook()).orElse(null);
        long now = world.now();
        int outputs = out.size();
        RunStatus statusBefore = run.getStatus();
        int stepBefore = run.getCurrentStep();
        if (playbook == null) {
            run.setStatus(RunStatus.STOPPED);
            run.setReason("playbook '" + run.getPlaybook() + "' is no longer in the playbooks file");
            published(run, now, out);
            return;
        }
        while (run.getStatus() == RunStatus.RUNNING) {
            while (run.getCurrentStep() < run.getSteps().size() && FINAL.contains(run.getSteps().get(run.getCurrentStep()).getStatus())) {
                run.setCurrentStep(run.getCurrentStep() + 1);
            }
            if (run.getCurrentStep() >= run.getSteps().size()) {
                run.setStatus(RunStatus.COMPLETED);
                break;
            }
            StepRun step = run.getSteps().get(run.getCurrentStep());
            if (step.getStatus() != StepStatus.PENDING) {
                break;   // in hand: its outcome moves the run on
            }
            if (state.getIncident().getFlapping()) {
                run.setStatus(RunStatus.HELD);
                run.setReason("the incident is flapping; its automation is held until it settles");
                break;
            }
            PlaybookStep definition = playbook.steps().get(step.getIndex());
            Variables variables = variables(state, world);
            if (!definition.when().test(variables)) {
                step.setRequestId(requestId(run, step));
                recordByRunner(state, step, OutcomeStatus.SKIPPED, "its condition is false: " + definition.when(), "condition",
                        world, out, false);
                continue;
            }
            if (definition.manual()) {
                step.setRequestId(requestId(run, step));
                RemediationOutcome handover = outcome(state, step, definition, OutcomeStatus.HANDED_OVER,
                        "handed over to the responder: " + definition.instructions().render(variables), null, world)
                        .setInstructions(definition.instructions().render(variables)).build();
                out.add(new RunnerOutput.OutcomeRecorded(handover));
                settle(step, StepStatus.HANDED_OVER, handover.getSummary(), Map.of(), now);
                continue;
            }
            Set<String> missing = new LinkedHashSet<>();
            definition.parameters().values().forEach(t -> missing.addAll(t.missing(variables)));
            step.setRequestId(requestId(run, step));
            if (!missing.isEmpty() && !UNDO.equals(step.getMode())) {
                refuse(state, step, "input", "no value for " + missing + " in this incident", world, out, false);
                continue;
            }
            ActionSpec spec = world.action(step.getAction()).orElse(null);
            if (spec == null) {
                refuse(state, step, "unknown-action", "no worker knows action '" + step.getAction() + "'", world, out, false);
                continue;
            }
            step.setStartedAt(Instant.ofEpochMilli(now));
            step.setDeadline(Instant.ofEpochMilli(now + definition.timeout().toMillis()));
            boolean dryRun = world.dryRun(step.getAction());
            if (dryRun || !spec.changes()) {
                step.setStatus(StepStatus.REQUESTED);
                out.add(new RunnerOutput.StepRequested(request(state, step, definition, step.getMode(), step.getResults(), List.of(),
                        dryRun, world)));
                break;
            }
            Optional<String> paused = world.paused(service(state));
            if (paused.isPresent()) {
                skipPaused(state, step, paused.get(), world, out);
                continue;
            }
            if (definition.approval().requiredIn(run.getEnvironment())) {
                ask(state, step, definition, world, out);
                break;
            }
            propose(state, step, List.of(), world, out);
            break;
        }
        if (out.size() > outputs || run.getStatus() != statusBefore || run.getCurrentStep() != stepBefore) {
            published(run, now, out);
        }
    }

    private void ask(RunnerState state, StepRun step, PlaybookStep definition, Surroundings world, List<RunnerOutput> out) {
        PlaybookRun run = state.getRun();
        long now = world.now();
        List<String> ofService = world.ownership(service(state)).map(Ownership::getApprovers).orElse(List.of());
        RemediationRequest planned = request(state, step, definition, step.getMode(), step.getResults(), List.of(), false, world);
        ApprovalRequest approval = ApprovalRequest.newBuilder().setApprovalId(step.getRequestId()).setRequestId(step.getRequestId())
                .setIncidentId(run.getIncidentId()).setPlaybook(run.getPlaybook()).setStepName(step.getName()).setAction(step.getAction())
                .setResource(run.getResource()).setPlan(plan(planned)).setOwner(run.getOwner())
                .setRequestedAt(Instant.ofEpochMilli(now)).setExpiresAt(Instant.ofEpochMilli(now + settings.approvalTimeout().toMillis()))
                .setEnvironment(run.getEnvironment()).setRequiredApprovals(definition.approval().required())
                .setApprovers(definition.approval().approversFor(ofService)).setStatus(ApprovalStatus.PENDING).setVotes(new ArrayList<>())
                .build();
        state.setApproval(approval);
        step.setStatus(StepStatus.AWAITING_APPROVAL);
        step.setApprovalId(approval.getApprovalId());
        step.setDeadline(null);
        run.setStatus(RunStatus.AWAITING_APPROVAL);
        run.setReason("step '" + step.getName() + "' waits for " + definition.approval().required() + " approval(s) from "
                + approval.getApprovers());
        out.add(new RunnerOutput.ApprovalChanged(copy(approval)));
    }

    private void propose(RunnerState state, StepRun step, List<String> approvedBy, Surroundings world, List<RunnerOutput> out) {
        Playbook playbook = world.playbook(state.getRun().getPlaybook()).orElseThrow();
        PlaybookStep definition = playbook.steps().get(step.getIndex());
        long now = world.now();
        step.setStatus(StepStatus.REQUESTED);
        step.setStartedAt(Instant.ofEpochMilli(now));
        step.setDeadline(Instant.ofEpochMilli(now + definition.timeout().toMillis()));
        out.add(new RunnerOutput.StepProposed(request(state, step, definition, step.getMode(),
                UNDO.equals(step.getMode()) ? step.getResults() : Map.of(), approvedBy, false, world)));
    }

    private void skipPaused(RunnerState state, StepRun step, String reason, Surroundings world, List<RunnerOutput> out) {
        recordByRunner(state, step, OutcomeStatus.SKIPPED, "automation is paused: " + reason, "pause", world, out, false);
    }

    private void cancel(RunnerState state, String why, long now, List<RunnerOutput> out) {
        PlaybookRun run = state.getRun();
        for (StepRun step : run.getSteps()) {
            if (step.getStatus() == StepStatus.PENDING || step.getStatus() == StepStatus.AWAITING_APPROVAL) {
                settle(step, StepStatus.CANCELLED, "not started: " + why, Map.of(), now);
            }
        }
        ApprovalRequest approval = state.getApproval();
        if (approval != null && approval.getStatus() == ApprovalStatus.PENDING) {
            approval.setStatus(ApprovalStatus.CANCELLED);
            approval.setDecidedAt(Instant.ofEpochMilli(now));
            out.add(new RunnerOutput.ApprovalChanged(copy(approval)));
            state.setApproval(null);
        }
        run.setStatus(RunStatus.CANCELLED);
        run.setReason(why);
        published(run, now, out);
    }

    // ---- outcomes ----

    /** An outcome the runner decides itself, recorded and applied to the run. */
    private void recordByRunner(RunnerState state, StepRun step, OutcomeStatus status, String summary, String guardrail,
                                Surroundings world, List<RunnerOutput> out) {
        recordByRunner(state, step, status, summary, guardrail, world, out, true);
    }

    private void recordByRunner(RunnerState state, StepRun step, OutcomeStatus status, String summary, String guardrail,
                                Surroundings world, List<RunnerOutput> out, boolean advance) {
        Playbook playbook = world.playbook(state.getRun().getPlaybook()).orElseThrow();
        RemediationOutcome outcome = outcome(state, step, playbook.steps().get(step.getIndex()), status, summary, guardrail, world).build();
        out.add(new RunnerOutput.OutcomeRecorded(outcome));
        apply(state, step, outcome, world, out, advance);
    }

    private void refuse(RunnerState state, StepRun step, String guardrail, String why, Surroundings world, List<RunnerOutput> out) {
        refuse(state, step, guardrail, why, world, out, true);
    }

    private void refuse(RunnerState state, StepRun step, String guardrail, String why, Surroundings world, List<RunnerOutput> out,
                        boolean advance) {
        recordByRunner(state, step, OutcomeStatus.REFUSED, step.getAction() + " refused (" + guardrail + "): " + why, guardrail, world,
                out, advance);
    }

    /** An outcome from the workers or a guard. */
    private void record(RunnerState state, StepRun step, RemediationOutcome outcome, Surroundings world, List<RunnerOutput> out) {
        apply(state, step, outcome, world, out, true);
    }

    /** What an outcome does to its step and its run. */
    private void apply(RunnerState state, StepRun step, RemediationOutcome outcome, Surroundings world, List<RunnerOutput> out,
                       boolean advance) {
        PlaybookRun run = state.getRun();
        long now = world.now();
        Map<String, String> results = new LinkedHashMap<>(step.getResults());
        results.putAll(outcome.getResults());
        outcome.getBefore().forEach((k, v) -> results.put("before." + k, v));
        outcome.getAfter().forEach((k, v) -> results.put("after." + k, v));
        if (outcome.getStatus() == OutcomeStatus.WAITING) {
            step.setStatus(StepStatus.WAITING);
            step.setResults(results);
            step.setSummary(outcome.getSummary());
            long after = outcome.getCheckAfterMillis() == null ? 15_000L : Math.max(0L, outcome.getCheckAfterMillis());
            step.setCheckAt(Instant.ofEpochMilli(now + after));
            published(run, now, out);
            return;
        }
        StepStatus status = switch (outcome.getStatus()) {
            case SUCCEEDED -> StepStatus.SUCCEEDED;
            case PLANNED -> StepStatus.PLANNED;
            case SKIPPED -> StepStatus.SKIPPED;
            case CANCELLED -> StepStatus.CANCELLED;
            case HANDED_OVER -> StepStatus.HANDED_OVER;
            case INTERRUPTED -> StepStatus.INTERRUPTED;
            case REFUSED -> StepStatus.REFUSED;
            default -> StepStatus.FAILED;
        };
        settle(step, status, outcome.getSummary(), results, now);
        boolean current = run.getCurrentStep() == step.getIndex();
        if (!current || (run.getStatus() != RunStatus.RUNNING && run.getStatus() != RunStatus.AWAITING_APPROVAL)) {
            if (advance) {
                published(run, now, out);   // recorded; the run does not move (it was cancelled, held or has ended)
            }
            return;
        }
        if (failed(status)) {
            PlaybookStep definition = world.playbook(run.getPlaybook()).orElseThrow().steps().get(step.getIndex());
            boolean reads = world.action(step.getAction()).map(s -> !s.changes()).orElse(false);
            FailurePolicy policy = status == StepStatus.INTERRUPTED || (status == StepStatus.REFUSED && !reads)
                    ? FailurePolicy.ESCALATE : definition.onFailure();
            if (policy != FailurePolicy.CONTINUE) {
                run.setStatus(policy == FailurePolicy.ESCALATE ? RunStatus.ESCALATED : RunStatus.STOPPED);
                run.setReason("step '" + step.getName() + "' " + status.name().toLowerCase(Locale.ROOT) + ": " + outcome.getSummary());
                if (advance) {
                    published(run, now, out);
                }
                return;
            }
        }
        if (advance) {
            run.setStatus(RunStatus.RUNNING);
            run.setReason(null);
            advance(state, world, out);
        }
    }

    private static boolean failed(StepStatus status) {
        return status == StepStatus.FAILED || status == StepStatus.REFUSED || status == StepStatus.INTERRUPTED;
    }

    private static void settle(StepRun step, StepStatus status, String summary, Map<String, String> results, long now) {
        step.setStatus(status);
        step.setSummary(summary);
        if (!results.isEmpty()) {
            step.setResults(results);
        }
        step.setFinishedAt(Instant.ofEpochMilli(now));
        step.setDeadline(null);
        step.setCheckAt(null);
    }

    // ---- records ----

    private RemediationRequest request(RunnerState state, StepRun step, PlaybookStep definition, String mode, Map<String, String> earlier,
                                       List<String> approvedBy, boolean dryRun, Surroundings world) {
        PlaybookRun run = state.getRun();
        Incident incident = state.getIncident();
        return RemediationRequest.newBuilder().setRequestId(step.getRequestId()).setIncidentId(run.getIncidentId())
                .setPlaybook(run.getPlaybook()).setStepIndex(step.getIndex()).setStepName(step.getName()).setAction(step.getAction())
                .setParameters(definition.render(variables(state, world))).setResource(incident.getResource()).setOwner(run.getOwner())
                .setAccount(incident.getAccount()).setRegion(incident.getRegion()).setRequestedAt(Instant.ofEpochMilli(world.now()))
                .setMode(mode).setDryRun(dryRun).setEnvironment(run.getEnvironment()).setApprovedBy(new ArrayList<>(approvedBy))
                .setStartedAt(step.getStartedAt()).setTimeoutAt(step.getDeadline()).setEarlier(new LinkedHashMap<>(earlier)).build();
    }

    private RemediationOutcome.Builder outcome(RunnerState state, StepRun step, PlaybookStep definition, OutcomeStatus status,
                                               String summary, String guardrail, Surroundings world) {
        PlaybookRun run = state.getRun();
        Instant now = Instant.ofEpochMilli(world.now());
        Map<String, String> inputs = definition.manual() ? Map.of() : definition.render(variables(state, world));
        return RemediationOutcome.newBuilder().setRequestId(step.getRequestId()).setIncidentId(run.getIncidentId())
                .setPlaybook(run.getPlaybook()).setStepIndex(step.getIndex()).setStepName(step.getName()).setAction(step.getAction())
                .setStatus(status).setDryRun(!definition.manual() && world.dryRun(step.getAction())).setSummary(summary)
                .setResource(run.getResource()).setInputs(new LinkedHashMap<>(inputs)).setOwner(run.getOwner())
                .setStartedAt(step.getStartedAt() == null ? now : step.getStartedAt()).setFinishedAt(now).setMode(step.getMode())
                .setApprovedBy(new ArrayList<>(step.getApprovedBy())).setGuardrail(guardrail).setEnvironment(run.getEnvironment());
    }

    /** What a step would do, in a sentence, for people deciding on it. */
    static String plan(RemediationRequest request) {
        StringBuilder plan = new StringBuilder(UNDO.equals(request.getMode()) ? "undo " : "").append(request.getAction());
        if (request.getResource() != null) {
            plan.append(" on ").append(request.getResource());
        }
        if (!request.getParameters().isEmpty()) {
            plan.append(" with ");
            request.getParameters().forEach((k, v) -> plan.append(k).append('=').append(v).append(", "));
            plan.setLength(plan.length() - 2);
        }
        return plan.toString();
    }

    private static void published(PlaybookRun run, long now, List<RunnerOutput> out) {
        run.setVersion(run.getVersion() + 1);
        run.setUpdatedAt(Instant.ofEpochMilli(now));
        out.removeIf(o -> o instanceof RunnerOutput.RunChanged changed && changed.run().getRun() == run.getRun()
                && changed.run().getIncidentId().equals(run.getIncidentId()));
        out.add(new RunnerOutput.RunChanged(copy(run)));
    }

    private static String requestId(PlaybookRun run, StepRun step) {
        String id = run.getIncidentId() + ":" + run.getPlaybook() + ":" + run.getRun() + ":" + step.getIndex();
        return step.getAttempt() == 0 ? id : id + "." + step.getAttempt();
    }

    private static StepRun stepOf(PlaybookRun run, String requestId) {
        return run == null ? null : run.getSteps().stream().filter(s -> requestId.equals(s.getRequestId())).findFirst().orElse(null);
    }

    private static String service(RunnerState state) {
        return state.getIncident() == null ? null : state.getIncident().getOwner().getService();
    }

    /** The incident's environment: its alert's {@code env} or {@code environment} label, else its service's. */
    public static String environment(Incident incident, Surroundings world) {
        for (Map.Entry<String, String> label : incident.getLabels().entrySet()) {
            String key = label.getKey().toLowerCase(Locale.ROOT);
            if ((key.equals("env") || key.equals("environment")) && label.getValue() != null && !label.getValue().isBlank()) {
                return label.getValue().trim().toLowerCase(Locale.ROOT);
            }
        }
        String service = incident.getOwner().getService();
        Optional<String> owned = world.ownership(service).map(Ownership::getEnvironment).filter(e -> e != null && !e.isBlank());
        if (owned.isPresent()) {
            return owned.get().trim().toLowerCase(Locale.ROOT);
        }
        String ofOwner = incident.getOwner().getEnvironment();
        return ofOwner == null || ofOwner.isBlank() ? null : ofOwner.trim().toLowerCase(Locale.ROOT);
    }

    /** The values templates read for this run (see {@link dev.nightshift.workers.playbook.TemplateNames}). */
    public static Variables variables(RunnerState state, Surroundings world) {
        Incident incident = state.getIncident();
        PlaybookRun run = state.getRun();
        return name -> {
            String[] parts = name.split("\\.", 3);
            return Optional.ofNullable(switch (parts[0]) {
                case "environment" -> run == null ? environment(incident, world) : run.getEnvironment();
                case "incident" -> parts.length < 2 ? null : switch (parts[1]) {
                    case "id" -> incident.getIncidentId();
                    case "name" -> incident.getName();
                    case "title" -> incident.getTitle();
                    case "severity" -> incident.getSeverity().name();
                    case "category" -> incident.getCategory();
                    case "resource" -> incident.getResource();
                    case "fingerprint" -> incident.getFingerprint();
                    case "source" -> incident.getSource().name();
                    case "service" -> incident.getOwner().getService();
                    case "team" -> incident.getOwner().getTeam();
                    case "playbook" -> incident.getPlaybook();
                    case "openedAt" -> incident.getOpenedAt().toString();
                    case "account" -> incident.getAccount();
                    case "region" -> incident.getRegion();
                    default -> null;
                };
                case "alert" -> parts.length < 2 ? null : parts[1].equals("labels") && parts.length == 3
                        ? incident.getLabels().get(parts[2]) : switch (parts[1]) {
                    case "account" -> incident.getAccount();
                    case "region" -> incident.getRegion();
                    case "metricNamespace" -> incident.getMetricNamespace();
                    case "metricName" -> incident.getMetricName();
                    case "resource" -> incident.getResource();
                    case "name" -> incident.getName();
                    default -> null;
                };
                case "steps" -> parts.length < 3 || run == null ? null : run.getSteps().stream()
                        .filter(s -> s.getName().equals(parts[1])).findFirst()
                        .map(s -> parts[2].equals("status") ? s.getStatus().name() : s.getResults().get(parts[2])).orElse(null);
                default -> null;
            });
        };
    }

    private static PlaybookRun copy(PlaybookRun run) {
        return PlaybookRun.newBuilder(run).build();
    }

    private static ApprovalRequest copy(ApprovalRequest approval) {
        return ApprovalRequest.newBuilder(approval).build();
    }
}
