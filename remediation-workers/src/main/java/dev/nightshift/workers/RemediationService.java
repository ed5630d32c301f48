package dev.nightshift.workers;

import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.workers.action.RemediationAction;
import dev.nightshift.workers.action.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs one remediation step under the guardrails and says what happened in an outcome: an unknown
 * action is refused; a request already run is not run again; in dry-run the plan is recorded and
 * nothing changes; otherwise the action runs and its before and after are recorded. An outcome is
 * written for every request, whatever happened.
 */
public final class RemediationService {
    private static final Logger LOG = LoggerFactory.getLogger(RemediationService.class);

    /** An AWS region code (eu-west-1, us-gov-west-1); a region named otherwise (a label's free text) is not compared. */
    private static final java.util.regex.Pattern REGION_CODE = java.util.regex.Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private final Map<String, RemediationAction> actions;
    private final WorkersConfig config;
    /** The region the workers' AWS clients act in (AWS_REGION). */
    private final String region;
    private final Clock clock;
    /**
     * The request ids handled lately: with their outcome until it is known to be written (a redelivery gets it
     * again instead of a second run), then empty (a redelivery is skipped).
     */
    private final Map<String, Optional<RemediationOutcome>> seen;

    public RemediationService(List<RemediationAction> actions, WorkersConfig config, String region, Clock clock, int rememberedRequests) {
        this.actions = actions.stream().collect(Collectors.toMap(RemediationAction::name, Function.identity()));
        this.config = config;
        this.region = region;
        this.clock = clock;
        this.seen = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<RemediationOutcome>> eldest) {
                return size() > rememberedRequests;
            }
        });
    }

    public java.util.Set<String> actionNames() {
        return actions.keySet();
    }

    /**
     * The outcome of the request to write. A redelivery of a request id already handled never runs the action
     * again: it gets the outcome it had while that is not known to be written ({@link #written}), so an outcome
     * whose write failed is written on the next delivery, and nothing once it was.
     * Throws only for a failure worth retrying (the outside system could not be reached).
     */
    public Optional<RemediationOutcome> handle(RemediationRequest request) throws Exception {
        Optional<RemediationOutcome> earlier = seen.get(request.getRequestId());
        if (earlier != null) {
            LOG.info("request {} of incident {} was already handled; not running it again{}", request.getRequestId(),
                    request.getIncidentId(), earlier.isPresent() ? " (its outcome is written again)" : "");
            return earlier;
        }
        Instant started = clock.instant();
        RemediationAction action = actions.get(request.getAction());
        RemediationOutcome.Builder outcome = outcome(request, started);
        if (action == null) {
            return done(request, outcome.setStatus(OutcomeStatus.REFUSED).setDryRun(config.dryRunFor(request.getAction()))
                    .setSummary("no worker knows action '" + request.getAction() + "'")
                    .setError("unknown action").setFinishedAt(clock.instant()).build());
        }
        if (request.getRegion() != null && REGION_CODE.matcher(request.getRegion()).matches()
                && !request.getRegion().equals(region)) {
            // The clients act in one region: acting here on a resource of the same name elsewhere would be wrong.
            String reason = "the resource is in region " + request.getRegion() + "; this worker acts in " + region
                    + " (AWS_REGION)";
            return done(request, outcome.setStatus(OutcomeStatus.REFUSED).setDryRun(config.dryRunFor(action.name()))
                    .setSummary(action.name() + " refused: " + reason).setError(reason).setFinishedAt(clock.instant()).build());
        }
        Step step = new Step(request);
        boolean dryRun = config.dryRunFor(action.name());
        try {
            String plan = action.plan(step);
            if (dryRun) {
                return done(request, outcome.setStatus(OutcomeStatus.PLANNED).setDryRun(true)
                        .setSummary("dry-run: would " + plan).setFinishedAt(clock.instant()).build());
            }
            RemediationAction.Change change = action.execute(step);
            return done(request, outcome.setStatus(OutcomeStatus.SUCCEEDED).setDryRun(false).setSummary(change.summary())
                    .setBefore(change.before()).setAfter(change.after()).setFinishedAt(clock.instant()).build());
        } catch (Step.InvalidStepException e) {
            return done(request, outcome.setStatus(OutcomeStatus.REFUSED).setDryRun(dryRun)
                    .setSummary(action.name() + " refused: " + e.getMessage()).setError(e.getMessage())
                    .setFinishedAt(clock.instant()).build());
        } catch (Exception e) {
            if (FailureClassifier.retryable(e)) {
                throw e;
            }
            return done(request, outcome.setStatus(OutcomeStatus.FAILED).setDryRun(false)
                    .setSummary(action.name() + " failed: " + FailureClassifier.describe(e)).setError(FailureClassifier.describe(e))
                    .setFinishedAt(clock.instant()).build());
        }
    }

    /** The request's outcome is on the outcomes topic: only its id needs remembering now. */
    public void written(String requestId) {
        seen.replace(requestId, Optional.empty());
    }

    /** The outcome written when a retryable failure did not clear within the retries. */
    public RemediationOutcome gaveUp(RemediationRequest request, Exception error) {
        return done(request, outcome(request, clock.instant()).setStatus(OutcomeStatus.FAILED).setDryRun(false)
                .setSummary(request.getAction() + " failed after retries: " + FailureClassifier.describe(error))
                .setError(FailureClassifier.describe(error)).setFinishedAt(clock.instant()).build()).orElseThrow();
    }

    private Optional<RemediationOutcome> done(RemediationRequest request, RemediationOutcome outcome) {
        seen.put(request.getRequestId(), Optional.of(outcome));
        LOG.info("incident {} step {} ({}): {} - {}", request.getIncidentId(), request.getStepIndex(), request.getAction(),
                outcome.getStatus(), outcome.getSummary());
        return Optional.of(outcome);
    }

    private static RemediationOutcome.Builder outcome(RemediationRequest request, Instant started) {
        Map<String, String> inputs = new LinkedHashMap<>(request.getParameters());
        if (request.getResource() != null) {
            inputs.put("resource", request.getResource());
        }
        return RemediationOutcome.newBuilder()
                .setRequestId(request.getRequestId())
                .setIncidentId(request.getIncidentId())
                .setPlaybook(request.getPlaybook())
                .setStepIndex(request.getStepIndex())
                .setAction(request.getAction())
                .setResource(request.getResource())
                .setInputs(inputs)
                .setOwner(request.getOwner())
                .setStartedAt(started);
    }
}
