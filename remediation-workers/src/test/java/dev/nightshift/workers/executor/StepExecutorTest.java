package dev.nightshift.workers.executor;

import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.workers.WorkersConfig;
import dev.nightshift.workers.actions.ActionCatalog;
import dev.nightshift.workers.actions.ActionResult;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.actions.RemediationAction;
import dev.nightshift.workers.actions.Step;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** What becomes of a step request, without Kafka: each outcome, what it carries, and which calls are made. */
class StepExecutorTest {
    private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");

    /** A change with a scripted answer per method; it records each call ("execute r1"). */
    static final class Widget implements RemediationAction {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final ActionSpec.Kind kind;
        ActionResult answer = ActionResult.succeeded("scaled widget w-7 to 2", Map.of("size", "1"), Map.of("size", "2"),
                Map.of("size", "2"), "scale widget w-7 back to 1");
        Exception failure;
        RuntimeException planFailure;
        Optional<ActionResult> recovered = Optional.empty();
        /** Runs at each call, before its answer. */
        Runnable onCall = () -> {
        };

        Widget(ActionSpec.Kind kind) {
            this.kind = kind;
        }

        @Override
        public ActionSpec spec() {
            return new ActionSpec(kind == ActionSpec.Kind.CHANGE ? "scale-widget" : "describe-widget", kind,
                    Map.of("widget", "the widget"), Map.of(), kind == ActionSpec.Kind.CHANGE);
        }

        @Override
        public String plan(Step step) {
            if (planFailure != null) {
                throw planFailure;
            }
            return "scale widget " + step.parameterOrResource("widget") + " to 2";
        }

        @Override
        public ActionResult execute(Step step) throws Exception {
            return answer("execute", step);
        }

        @Override
        public ActionResult check(Step step) throws Exception {
            return answer("check", step);
        }

        @Override
        public ActionResult undo(Step step) throws Exception {
            return answer("undo", step);
        }

        @Override
        public Optional<ActionResult> recover(Step step) {
            calls.add("recover " + step.requestId());
            return recovered;
        }

        private ActionResult answer(String method, Step step) throws Exception {
            calls.add(method + " " + step.requestId());
            onCall.run();
            if (failure != null) {
                throw failure;
            }
            return answer;
        }
    }

    private final Widget change = new Widget(ActionSpec.Kind.CHANGE);
    private final Widget read = new Widget(ActionSpec.Kind.READ);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WorkersConfig config = new WorkersConfig();

    StepExecutorTest() {
        config.setDryRun(false);
    }

    private StepExecutor executor() {
        return new StepExecutor(new ActionCatalog(List.of(change, read)), config, "us-east-1", Clock.fixed(NOW, ZoneOffset.UTC),
                new StepMetrics(meters));
    }

    private static RemediationRequest.Builder request(String requestId, String action) {
        return StepRequests.request(requestId, "inc-1", action, "w-7", NOW.minusSeconds(5));
    }

    @Test
    void aChangeIsCalledOnceAndItsOutcomeCarriesTheRequestAndWhatItChanged() {
        StepExecutor.Prepared prepared = executor().prepare(request("r1", "scale-widget").build());

        assertThat(prepared).isInstanceOf(StepExecutor.Call.class);
        assertThat(((StepExecutor.Call) prepared).atMostOnce()).as("a change is recorded as started before it is made").isTrue();
        assertThat(change.calls).as("preparing calls nothing").isEmpty();
        RemediationOutcome outcome = ((StepExecutor.Call) prepared).make();

        assertThat(change.calls).containsExactly("execute r1");
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(outcome.getSummary()).isEqualTo("scaled widget w-7 to 2");
        assertThat(outcome.getRequestId()).isEqualTo("r1");
        assertThat(outcome.getIncidentId()).isEqualTo("inc-1");
        assertThat(outcome.getPlaybook()).isEqualTo("widget-overload");
        assertThat(outcome.getStepName()).isEqualTo("scale-up");
        assertThat(outcome.getStepIndex()).isEqualTo(1);
        assertThat(outcome.getAction()).isEqualTo("scale-widget");
        assertThat(outcome.getMode()).isEqualTo("run");
        assertThat(outcome.getDryRun()).isFalse();
        assertThat(outcome.getInputs()).containsEntry("widget", "w-7").containsEntry("resource", "widget:pool/w-7");
        assertThat(outcome.getPlan()).isEqualTo("scale widget w-7 to 2");
        assertThat(outcome.getApprovedBy()).containsExactly("alice");
        assertThat(outcome.getEnvironment()).isEqualTo("production");
        assertThat(outcome.getOwner().getTeam()).isEqualTo("payments");
        assertThat(outcome.getBefore()).containsEntry("size", "1");
        assertThat(outcome.getAfter()).containsEntry("size", "2");
        assertThat(outcome.getResults()).containsEntry("size", "2");
        assertThat(outcome.getUndo()).isEqualTo("scale widget w-7 back to 1");
        assertThat(outcome.getStartedAt()).isEqualTo(NOW);
        assertThat(outcome.getFinishedAt()).isEqualTo(NOW);
        assertThat(outcome.getError()).isNull();
        assertThat(meters.get("nightshift.action.calls").tags("action", "scale-widget", "mode", "run", "status", "SUCCEEDED").timer().count())
                .isEqualTo(1);
    }

    @Test
    void aWaitingStepSaysWhenToLookAgainAndItsCheckIsARead() {
        change.answer = ActionResult.waiting("deployment d-1 started", Map.of("deployment", "d-1"), Duration.ofSeconds(30));
        RemediationOutcome started = executor().execute(request("r1", "scale-widget").build());
        StepExecutor.Prepared check = executor().prepare(request("r1", "scale-widget").setMode("check").build());

        assertThat(started.getStatus()).isEqualTo(OutcomeStatus.WAITING);
        assertThat(started.getCheckAfterMillis()).isEqualTo(30_000L);
        assertThat(started.getResults()).containsEntry("deployment", "d-1");
        assertThat(((StepExecutor.Call) check).atMostOnce()).as("a check changes nothing: no ledger").isFalse();
        change.answer = ActionResult.succeeded("deployment d-1 done", Map.of(), Map.of(), Map.of(), null);
        RemediationOutcome checked = ((StepExecutor.Call) check).make();
        assertThat(checked.getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(checked.getMode()).isEqualTo("check");
        assertThat(change.calls).containsExactly("execute r1", "check r1");
    }

    @Test
    void anUndoCallsTheActionsUndoOnceAndIsAChange() {
        StepExecutor.Prepared undo = executor().prepare(request("r1-undo", "scale-widget").setMode("undo").build());

        assertThat(((StepExecutor.Call) undo).atMostOnce()).isTrue();
        assertThat(((StepExecutor.Call) undo).make().getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(change.calls).containsExactly("undo r1-undo");
    }

    @Test
    void anUndoOfAnActionThatCannotBeUndoneIsRefusedUncalled() {
        RemediationOutcome outcome = executor().execute(request("r1", "describe-widget").setMode("undo").build());

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(outcome.getSummary()).isEqualTo("describe-widget refused: describe-widget cannot be undone");
        assertThat(read.calls).isEmpty();
    }

    @Test
    void aRecoverSaysWhatTheResourceProvesOrInterruptedAndIsNeverRunAgain() {
        StepExecutor.Prepared recover = executor().prepare(request("r1", "scale-widget").setMode("recover").build());
        assertThat(((StepExecutor.Call) recover).atMostOnce()).as("recover only reads").isFalse();
        RemediationOutcome unknown = ((StepExecutor.Call) recover).make();

        assertThat(unknown.getStatus()).isEqualTo(OutcomeStatus.INTERRUPTED);
        assertThat(unknown.getSummary()).isEqualTo("scale-widget may have started; not run again (its resource does not tell what it did)");
        change.recovered = Optional.of(ActionResult.succeeded("widget w-7 is at 2: the step was made", Map.of(), Map.of("size", "2"), Map.of(), null));
        RemediationOutcome proven = executor().execute(request("r1", "scale-widget").setMode("recover").build());
        assertThat(proven.getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(proven.getMode()).isEqualTo("recover");
        assertThat(change.calls).containsExactly("recover r1", "recover r1");
    }

    @Test
    void dryRunAsTheRequestOrTheWorkerSaysPlansAChangeAndCallsNothing() {
        RemediationOutcome asked = executor().execute(request("r1", "scale-widget").setDryRun(true).build());
        config.setDryRunActions(Set.of("scale-widget"));
        RemediationOutcome heldForTheAction = executor().execute(request("r2", "scale-widget").build());
        RemediationOutcome undo = executor().execute(request("r3", "scale-widget").setMode("undo").build());
        config.setDryRunActions(Set.of());
        config.setDryRun(true);
        RemediationOutcome global = executor().execute(request("r4", "scale-widget").build());

        assertThat(List.of(asked, heldForTheAction, undo, global)).allSatisfy(outcome -> {
            assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.PLANNED);
            assertThat(outcome.getDryRun()).isTrue();
            assertThat(outcome.getPlan()).isEqualTo("scale widget w-7 to 2");
        });
        assertThat(asked.getSummary()).isEqualTo("dry-run: would scale widget w-7 to 2");
        assertThat(undo.getSummary()).isEqualTo("dry-run: would undo: scale widget w-7 to 2");
        assertThat(change.calls).isEmpty();
    }

    @Test
    void aReadRunsInDryRunTooSinceItChangesNothing() {
        config.setDryRun(true);
        StepExecutor.Prepared prepared = executor().prepare(request("r1", "describe-widget").build());

        assertThat(((StepExecutor.Call) prepared).atMostOnce()).isFalse();
        RemediationOutcome outcome = ((StepExecutor.Call) prepared).make();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(outcome.getDryRun()).as("it ran under dry-run").isTrue();
        assertThat(read.calls).containsExactly("execute r1");
    }

    @Test
    void aRequestTakenAfterItsDeadlineIsRefusedUncalledExceptARecover() {
        RemediationOutcome late = executor().execute(request("r1", "scale-widget").setTimeoutAt(NOW.minusMillis(1)).build());
        RemediationOutcome lateRead = executor().execute(request("r2", "describe-widget").setTimeoutAt(NOW.minusMillis(1)).build());
        RemediationOutcome lateRecover = executor().execute(request("r3", "scale-widget").setMode("recover").setTimeoutAt(NOW.minusSeconds(60)).build());

        assertThat(late.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(late.getGuardrail()).isEqualTo("deadline");
        assertThat(late.getSummary()).isEqualTo("scale-widget refused: its deadline 2026-12-06T02:59:59.999Z passed before a worker took it; not run");
        assertThat(late.getPlan()).as("what it would have done is on record").isEqualTo("scale widget w-7 to 2");
        assertThat(lateRead.getGuardrail()).isEqualTo("deadline");
        assertThat(lateRecover.getStatus()).isEqualTo(OutcomeStatus.INTERRUPTED);
        assertThat(change.calls).containsExactly("recover r3");
        assertThat(read.calls).isEmpty();
    }

    @Test
    void noCallStartsAfterTheDeadlineEvenWhenItPassedWhileTheStartWasRecorded() {
        MutableClock clock = new MutableClock(NOW);
        StepExecutor executor = new StepExecutor(new ActionCatalog(List.of(change)), config, "us-east-1", clock, new StepMetrics(meters));
        StepExecutor.Prepared prepared = executor.prepare(request("r1", "scale-widget").setTimeoutAt(NOW.plusSeconds(2)).build());
        clock.now = NOW.plusSeconds(3);   // recording its start took that long

        RemediationOutcome outcome = ((StepExecutor.Call) prepared).make();

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(outcome.getGuardrail()).isEqualTo("deadline");
        assertThat(outcome.getSummary()).isEqualTo("scale-widget refused: its deadline 2026-12-06T03:00:02Z passed before its call could start; not run");
        assertThat(change.calls).isEmpty();
    }

    @Test
    void aRequestWithoutADeadlineHasTheWorkersMaxRequestAge() {
        config.setMaxRequestAge(Duration.ofMinutes(10));
        RemediationOutcome stale = executor().execute(StepRequests.request("r1", "inc-1", "scale-widget", "w-7", NOW.minus(Duration.ofMinutes(11)))
                .setTimeoutAt(null).build());
        RemediationOutcome fresh = executor().execute(StepRequests.request("r2", "inc-1", "scale-widget", "w-7", NOW.minus(Duration.ofMinutes(9)))
                .setTimeoutAt(null).build());

        assertThat(stale.getGuardrail()).isEqualTo("deadline");
        assertThat(stale.getSummary()).contains("2026-12-06T02:59:00Z");
        assertThat(fresh.getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(change.calls).containsExactly("execute r2");
    }

    @Test
    void aResourceInAnotherRegionIsRefusedUncalled() {
        RemediationOutcome elsewhere = executor().execute(request("r1", "scale-widget").setRegion("eu-west-1").build());
        RemediationOutcome named = executor().execute(request("r2", "scale-widget").setRegion("EU (Ireland)").build());

        assertThat(elsewhere.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(elsewhere.getGuardrail()).isEqualTo("region");
        assertThat(elsewhere.getSummary()).contains("region eu-west-1").contains("acts in us-east-1");
        assertThat(named.getStatus()).as("not a region code (a label's free text): not compared").isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(change.calls).containsExactly("execute r2");
    }

    @Test
    void anUnknownActionOrModeIsRefused() {
        RemediationOutcome action = executor().execute(request("r1", "delete-everything").build());
        RemediationOutcome mode = executor().execute(request("r2", "scale-widget").setMode("retry").build());

        assertThat(action.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(action.getSummary()).isEqualTo("delete-everything refused: no worker knows action 'delete-everything'");
        assertThat(mode.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(mode.getError()).isEqualTo("unknown mode 'retry' (run, check, undo or recover)");
        assertThat(change.calls).isEmpty();
    }

    @Test
    void inputsThatCannotWorkAreRefusedWhetherThePlanOrTheCallFindsOut() {
        RemediationOutcome noWidget = executor().execute(request("r1", "scale-widget").setParameters(Map.of()).setResource(null).build());
        change.failure = new Step.InvalidStepException("parameter 'size' is not a number: lots");
        RemediationOutcome badSize = executor().execute(request("r2", "scale-widget").build());

        assertThat(noWidget.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(noWidget.getError()).isEqualTo("step needs parameter 'widget' or a resource");
        assertThat(badSize.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(badSize.getError()).isEqualTo("parameter 'size' is not a number: lots");
        assertThat(change.calls).containsExactly("execute r2");
    }

    @Test
    void anActionThatCannotSayWhatItWouldDoIsRefusedUncalled() {
        change.planFailure = new NullPointerException("widget pool is null");
        RemediationOutcome outcome = executor().execute(request("r1", "scale-widget").build());

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(outcome.getError()).isEqualTo("its plan failed: NullPointerException: widget pool is null");
        assertThat(change.calls).isEmpty();
    }

    @Test
    void aFailedCallIsFailedWithAOneLineErrorAndWhetherANewRequestCouldSucceed() {
        change.failure = aws(400, "ThrottlingException");
        RemediationOutcome throttled = executor().execute(request("r1", "scale-widget").build());
        change.failure = aws(403, "AccessDeniedException");
        RemediationOutcome denied = executor().execute(request("r2", "scale-widget").build());
        change.failure = SdkClientException.create("Unable to execute HTTP request: Read timed out", new SocketTimeoutException("Read timed out"));
        RemediationOutcome timedOutChange = executor().execute(request("r3", "scale-widget").build());
        read.failure = change.failure;
        RemediationOutcome timedOutRead = executor().execute(request("r4", "describe-widget").build());
        change.failure = new IllegalStateException("token=abc\nsecond line");
        RemediationOutcome bug = executor().execute(request("r5", "scale-widget").build());

        assertThat(throttled.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(throttled.getSummary()).isEqualTo("scale-widget failed: ThrottlingException: ThrottlingException happened");
        assertThat(throttled.getError()).isEqualTo("ThrottlingException: ThrottlingException happened");
        assertThat(throttled.getResults()).containsEntry("retryable", "true");
        assertThat(denied.getResults()).containsEntry("retryable", "false");
        assertThat(timedOutChange.getResults()).as("the change may have been made: a new request could make it twice")
                .containsEntry("retryable", "false");
        assertThat(timedOutRead.getResults()).containsEntry("retryable", "true");
        assertThat(bug.getError()).isEqualTo("IllegalStateException: token=abc");
        assertThat(bug.getResults()).containsEntry("retryable", "false");
        assertThat(meters.get("nightshift.action.calls").tags("action", "scale-widget", "status", "FAILED").timer().count()).isEqualTo(4);
    }

    @Test
    void aStepTheActionFoundFailedIsNotRetryableUnlessTheActionSaysSo() {
        change.answer = ActionResult.failed("deployment d-1 rolled back", Map.of("size", "1"), Map.of());
        RemediationOutcome outcome = executor().execute(request("r1", "scale-widget").setMode("check").build());

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getError()).isEqualTo("deployment d-1 rolled back");
        assertThat(outcome.getResults()).containsEntry("retryable", "false");
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static AwsServiceException aws(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " happened").build()).build();
    }
}
