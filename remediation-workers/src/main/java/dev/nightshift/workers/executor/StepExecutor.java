package dev.nightshift.workers.executor;

import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.workers.WorkersConfig;
import dev.nightshift.workers.actions.ActionCatalog;
import dev.nightshift.workers.actions.ActionResult;
import dev.nightshift.workers.actions.RemediationAction;
import dev.nightshift.workers.actions.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns one step request into its outcome, with one call to its action at most. In order: an action the worker does
 * not know, a mode it does not know, an undo of an action that cannot be undone, a region code other than the worker's
 * ({@code region}), inputs that cannot work ({@link Step.InvalidStepException}) and a deadline passed before the worker
 * took the request ({@code timeoutAt}, else {@code requestedAt} + {@code max-request-age}; never for {@code recover},
 * which is sent after it) are REFUSED; no call starts after the deadline. In dry-run (the request's or the worker's) a change is PLANNED and nothing is
 * called; a read (a READ action, a check, a recover) still runs, since it changes nothing. Otherwise {@code run} calls
 * {@code execute}, {@code check} {@code check}, {@code undo} {@code undo} and {@code recover} {@code recover}, whose
 * empty answer is INTERRUPTED. A call that throws is FAILED, with a one-line error and {@code results.retryable}.
 * <p>
 * {@link #prepare} decides without calling anything, so that the caller can record a change as started before it is
 * made ({@link Call#atMostOnce}); {@link Call#make} then calls the action once.
 */
public final class StepExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(StepExecutor.class);
    /** An AWS region code (eu-west-1, us-gov-west-1); a region named otherwise (a label's free text) is not compared. */
    private static final Pattern REGION_CODE = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    /** What a request asks of its action. */
    enum Mode {
        RUN, CHECK, UNDO, RECOVER;

        static Optional<Mode> of(String mode) {
            for (Mode m : values()) {
                if (m.name().toLowerCase(Locale.ROOT).equals(mode)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /** What becomes of a request: an outcome decided without calling anything, or a call to make. */
    public sealed interface Prepared permits Decided, Call {
    }

    /** Refused or planned: the outcome to record, nothing called. */
    public record Decided(RemediationOutcome outcome) implements Prepared {
    }

    private final ActionCatalog catalog;
    private final WorkersConfig config;
    private final String region;
    private final Clock clock;
    private final StepMetrics metrics;

    /**
     * @param region the one region the worker's AWS clients act in (AWS_REGION)
     */
    public StepExecutor(ActionCatalog catalog, WorkersConfig config, String region, Clock clock, StepMetrics metrics) {
        this.catalog = catalog;
        this.config = config;
        this.region = region;
        this.clock = clock;
        this.metrics = metrics;
    }

    public ActionCatalog catalog() {
        return catalog;
    }

    /** Decides what becomes of the request, calling nothing. */
    public Prepared prepare(RemediationRequest request) {
        Instant taken = clock.instant();
        Optional<RemediationAction> found = catalog.find(request.getAction());
        boolean dryRun = request.getDryRun() || config.dryRunFor(request.getAction());
        RemediationOutcome.Builder outcome = outcome(request, taken, dryRun);
        if (found.isEmpty()) {
            return refuse(outcome, "no worker knows action '" + request.getAction() + "'", null);
        }
        RemediationAction action = found.get();
        Optional<Mode> mode = Mode.of(request.getMode());
        if (mode.isEmpty()) {
            return refuse(outcome, "unknown mode '" + request.getMode() + "' (run, check, undo or recover)", null);
        }
        if (mode.get() == Mode.UNDO && !action.spec().undoable()) {
            return refuse(outcome, action.name() + " cannot be undone", null);
        }
        if (request.getRegion() != null && REGION_CODE.matcher(request.getRegion()).matches() && !request.getRegion().equals(region)) {
            // The clients act in one region: acting here on a resource of the same name elsewhere would be wrong.
            return refuse(outcome, "the resource is in region " + request.getRegion() + "; this worker acts in " + region
                    + " (AWS_REGION)", "region");
        }
        Step step = new Step(request);
        try {
            outcome.setPlan(action.plan(step));
        } catch (Step.InvalidStepException e) {
            return refuse(outcome, e.getMessage(), null);
        } catch (RuntimeException e) {   // an action that cannot say what it would do is not let do it
            return refuse(outcome, "its plan failed: " + FailureClassifier.describe(e), null);
        }
        Instant deadline = request.getTimeoutAt() != null ? request.getTimeoutAt()
                : request.getRequestedAt().plus(config.getMaxRequestAge());
        if (mode.get() != Mode.RECOVER && taken.isAfter(deadline)) {
            return refuse(outcome, "its deadline " + deadline + " passed before a worker took it; not run", "deadline");
        }
        boolean changes = action.spec().changes() && (mode.get() == Mode.RUN || mode.get() == Mode.UNDO);
        if (changes && dryRun) {
            String would = mode.get() == Mode.UNDO ? "undo: " + outcome.getPlan() : outcome.getPlan();
            return decided(outcome.setStatus(OutcomeStatus.PLANNED).setSummary("dry-run: would " + would)
                    .setFinishedAt(clock.instant()).build());
        }
        return new Call(action, step, mode.get(), changes, mode.get() == Mode.RECOVER ? null : deadline, outcome);
    }

    /** Prepares the request and makes its call, if any: for callers that record nothing before the call. */
    public RemediationOutcome execute(RemediationRequest request) {
        Prepared prepared = prepare(request);
        return prepared instanceof Call call ? call.make() : ((Decided) prepared).outcome();
    }

    /** A request's call to its action, decided on and not made yet. */
    public final class Call implements Prepared {
        private final RemediationAction action;
        private final Step step;
        private final Mode mode;
        private final boolean changes;
        /** No call starts after it (null for a recover). */
        private final Instant deadline;
        private final RemediationOutcome.Builder outcome;

        private Call(RemediationAction action, Step step, Mode mode, boolean changes, Instant deadline, RemediationOutcome.Builder outcome) {
            this.action = action;
            this.step = step;
            this.mode = mode;
            this.changes = changes;
            this.deadline = deadline;
            this.outcome = outcome;
        }

        /**
         * True for a change (a CHANGE action's run or undo, not in dry-run): it must be made at most once, so its start is
         * recorded before it is made. False for a read, which may be made again when its outcome was not recorded.
         */
        public boolean atMostOnce() {
            return changes;
        }

        /**
         * Calls the action once and says what came of it; never throws. When the deadline passed since the request was
         * prepared (its start took that long to record), it is refused instead: no call starts after the deadline.
         */
        public RemediationOutcome make() {
            if (deadline != null && clock.instant().isAfter(deadline)) {
                return refuse(outcome, "its deadline " + deadline + " passed before its call could start; not run", "deadline").outcome();
            }
            long start = System.nanoTime();
            RemediationOutcome made;
            try {
                made = switch (mode) {
                    case RUN -> of(action.execute(step));
                    case CHECK -> of(action.check(step));
                    case UNDO -> of(action.undo(step));
                    case RECOVER -> action.recover(step).map(this::of).orElseGet(() -> finish(outcome.setStatus(OutcomeStatus.INTERRUPTED)
                            .setSummary(action.name() + " may have started; not run again (its resource does not tell what it did)")));
                };
            } catch (Step.InvalidStepException e) {
                made = refuse(outcome, e.getMessage(), null).outcome();
            } catch (UnsupportedOperationException e) {
                made = refuse(outcome, action.name() + " cannot " + mode.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage(), null).outcome();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                String error = FailureClassifier.describe(e);
                made = finish(outcome.setStatus(OutcomeStatus.FAILED).setSummary(action.name() + " failed: " + error).setError(error)
                        .setResults(Map.of("retryable", Boolean.toString(FailureClassifier.retryable(e, changes)))));
            }
            metrics.called(action.name(), made.getMode(), made.getStatus().name(), Duration.ofNanos(System.nanoTime() - start));
            return made;
        }

        private RemediationOutcome of(ActionResult result) {
            Map<String, String> results = new LinkedHashMap<>(result.results());
            if (result.status() == OutcomeStatus.FAILED) {
                results.putIfAbsent("retryable", "false");
                outcome.setError(result.summary());
            }
            return finish(outcome.setStatus(result.status()).setSummary(result.summary()).setBefore(result.before())
                    .setAfter(result.after()).setResults(results).setUndo(result.undo())
                    .setCheckAfterMillis(result.checkAfter() == null ? null : result.checkAfter().toMillis()));
        }

        private RemediationOutcome finish(RemediationOutcome.Builder builder) {
            RemediationOutcome done = builder.setFinishedAt(clock.instant()).build();
            log(done);
            return done;
        }
    }

    private Decided refuse(RemediationOutcome.Builder outcome, String reason, String guardrail) {
        return decided(outcome.setStatus(OutcomeStatus.REFUSED).setSummary(outcome.getAction() + " refused: " + reason)
                .setError(reason).setGuardrail(guardrail).setFinishedAt(clock.instant()).build());
    }

    private static Decided decided(RemediationOutcome outcome) {
        log(outcome);
        return new Decided(outcome);
    }

    private static void log(RemediationOutcome outcome) {
        LOG.info("incident {} step {} '{}' ({} {}, request {}): {} - {}", outcome.getIncidentId(), outcome.getStepIndex(),
                outcome.getStepName(), outcome.getAction(), outcome.getMode(), outcome.getRequestId(), outcome.getStatus(),
                outcome.getSummary());
    }

    /** The outcome's fields that come from the request: every outcome carries them. */
    private static RemediationOutcome.Builder outcome(RemediationRequest request, Instant taken, boolean dryRun) {
        Map<String, String> inputs = new LinkedHashMap<>(request.getParameters());
        if (request.getResource() != null) {
            inputs.put("resource", request.getResource());
        }
        return RemediationOutcome.newBuilder()
                .setRequestId(request.getRequestId())
                .setIncidentId(request.getIncidentId())
                .setPlaybook(request.getPlaybook())
                .setStepIndex(request.getStepIndex())
                .setStepName(request.getStepName())
                .setAction(request.getAction())
                .setMode(request.getMode())
                .setResource(request.getResource())
                .setInputs(inputs)
                .setOwner(request.getOwner())
                .setApprovedBy(request.getApprovedBy())
                .setEnvironment(request.getEnvironment())
                .setDryRun(dryRun)
                .setStartedAt(taken);
    }
}
