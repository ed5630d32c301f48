package dev.nightshift.workers.runner;

import dev.nightshift.schema.ActionGuard;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.ControlKind;
import dev.nightshift.schema.Grant;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The guardrails that need one count across every incident and instance, held per action (the
 * runner's guard stage is keyed by action): a live change is let through only while the action is
 * switched on, its circuit is closed, and it stays within its blast radius (at most
 * {@code perResource} live runs per resource and {@code perAction} over all resources within the
 * window). Every refusal is a REFUSED outcome that names the guardrail and the limit. The circuit
 * opens when {@code failuresToOpen} live runs in a row failed, and stays open until a person switches
 * the action on again.
 */
public final class Guardrails {
    /**
     * @param perResource    live runs of an action per resource within the window (default 1)
     * @param perAction      live runs of an action over all resources within the window (default 10)
     * @param window         the blast-radius window (default one hour)
     * @param failuresToOpen live runs failed in a row that open the circuit (default 3)
     */
    public record Limits(int perResource, int perAction, Duration window, int failuresToOpen) {
        public static Limits defaults() {
            return new Limits(1, 10, Duration.ofHours(1), 3);
        }
    }

    /** The action's new counts and what to publish. */
    public record Result(ActionGuard state, List<RunnerOutput> outputs) {
    }

    private final Limits limits;

    public Guardrails(Limits limits) {
        this.limits = limits;
    }

    public static ActionGuard newState(String action) {
        return ActionGuard.newBuilder().setAction(action).setGrants(new ArrayList<>()).setFailures(new ArrayList<>()).build();
    }

    /** A live change step proposed by a run: let through to the workers, or refused. */
    public Result onProposal(ActionGuard current, RemediationRequest request, Optional<AutomationControl> control, long now) {
        ActionGuard state = current == null ? newState(request.getAction()) : current;
        closeIfSwitchedOn(state, control);
        String action = request.getAction();
        Optional<String> refusal = Optional.empty();
        String guardrail = null;
        if (control.isPresent() && control.get().getKind() == ControlKind.DISABLE) {
            guardrail = "circuit-breaker";
            refusal = Optional.of("action " + action + " is switched off by " + control.get().getBy() + " since " + control.get().getAt()
                    + (control.get().getReason() == null ? "" : " (" + control.get().getReason() + ")"));
        } else if (state.getOpenedAt() != null) {
            guardrail = "circuit-breaker";
            refusal = Optional.of("circuit open: the last " + limits.failuresToOpen() + " live runs of " + action
                    + " failed (since " + state.getOpenedAt() + "); a person switches it on again with ./pipeline actions enable " + action);
        } else {
            List<Grant> recent = recent(state, now);
            String resource = resource(request);
            long onResource = recent.stream().filter(g -> g.getResource().equals(resource)).count();
            if (onResource >= limits.perResource()) {
                guardrail = "blast-radius";
                refusal = Optional.of("blast radius: at most " + limits.perResource() + " live run(s) of " + action + " per resource per "
                        + limits.window() + ", and " + resource + " had " + onResource);
            } else if (recent.size() >= limits.perAction()) {
                guardrail = "blast-radius";
                refusal = Optional.of("blast radius: at most " + limits.perAction() + " live runs of " + action + " per " + limits.window()
                        + " over all resources, and there were " + recent.size());
            }
        }
        List<RunnerOutput> out = new ArrayList<>();
        if (refusal.isPresent()) {
            out.add(new RunnerOutput.OutcomeRecorded(refused(request, guardrail, refusal.get(), now)));
        } else {
            List<Grant> grants = new ArrayList<>(recent(state, now));
            grants.add(Grant.newBuilder().setResource(resource(request)).setRequestId(request.getRequestId())
                    .setAt(Instant.ofEpochMilli(now)).build());
            state.setGrants(grants);
            out.add(new RunnerOutput.StepRequested(request));
        }
        return new Result(state, out);
    }

    /** A live change's outcome: counts towards the circuit breaker. */
    public Result onOutcome(ActionGuard current, RemediationOutcome outcome, Optional<AutomationControl> control, long now) {
        ActionGuard state = current == null ? newState(outcome.getAction()) : current;
        closeIfSwitchedOn(state, control);
        if (outcome.getStatus() == OutcomeStatus.SUCCEEDED) {
            state.setFailures(new ArrayList<>());
        } else if (outcome.getStatus() == OutcomeStatus.FAILED || outcome.getStatus() == OutcomeStatus.INTERRUPTED) {
            List<Instant> failures = new ArrayList<>(state.getFailures());
            failures.add(Instant.ofEpochMilli(now));
            while (failures.size() > limits.failuresToOpen()) {
                failures.remove(0);
            }
            state.setFailures(failures);
            if (failures.size() >= limits.failuresToOpen() && state.getOpenedAt() == null) {
                state.setOpenedAt(Instant.ofEpochMilli(now));
            }
        }
        return new Result(state, List.of());
    }

    /** Whether the action's circuit is open for proposals now. */
    public boolean open(ActionGuard state, Optional<AutomationControl> control) {
        if (control.isPresent() && control.get().getKind() == ControlKind.DISABLE) {
            return true;
        }
        return state != null && state.getOpenedAt() != null
                && !(control.isPresent() && control.get().getKind() == ControlKind.ENABLE && control.get().getAt().isAfter(state.getOpenedAt()));
    }

    /** A person switched the action on after its circuit opened: it closes, and its failures count anew. */
    private static void closeIfSwitchedOn(ActionGuard state, Optional<AutomationControl> control) {
        if (state.getOpenedAt() != null && control.isPresent() && control.get().getKind() == ControlKind.ENABLE
                && control.get().getAt().isAfter(state.getOpenedAt())) {
            state.setOpenedAt(null);
            state.setFailures(new ArrayList<>());
        }
    }

    private List<Grant> recent(ActionGuard state, long now) {
        long horizon = now - limits.window().toMillis();
        return state.getGrants().stream().filter(g -> g.getAt().toEpochMilli() > horizon).toList();
    }

    private static String resource(RemediationRequest request) {
        return request.getResource() == null || request.getResource().isBlank() ? "(no resource)" : request.getResource();
    }

    private static RemediationOutcome refused(RemediationRequest request, String guardrail, String why, long now) {
        Instant at = Instant.ofEpochMilli(now);
        return RemediationOutcome.newBuilder().setRequestId(request.getRequestId()).setIncidentId(request.getIncidentId())
                .setPlaybook(request.getPlaybook()).setStepIndex(request.getStepIndex()).setStepName(request.getStepName())
                .setAction(request.getAction()).setStatus(OutcomeStatus.REFUSED).setDryRun(false)
                .setSummary(request.getAction() + " refused (" + guardrail + "): " + why).setResource(request.getResource())
                .setInputs(new LinkedHashMap<>(request.getParameters())).setOwner(request.getOwner()).setStartedAt(at).setFinishedAt(at)
                .setMode(request.getMode()).setApprovedBy(new ArrayList<>(request.getApprovedBy())).setGuardrail(guardrail)
                .setError(why).setEnvironment(request.getEnvironment()).build();
    }
}
