package dev.nightshift.workers;

import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.workers.action.RemediationAction;
import dev.nightshift.workers.action.Step;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RemediationServiceTest {
    /** An action that counts its runs; the service, not the action, is under test. */
    static final class CountingAction implements RemediationAction {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String name() {
            return "restart-widget";
        }

        @Override
        public String plan(Step step) {
            return "restart widget " + step.parameterOrResource("widget");
        }

        @Override
        public Change execute(Step step) {
            runs.incrementAndGet();
            return new Change("restarted " + step.parameterOrResource("widget"), Map.of("pid", "1"), Map.of("pid", "2"));
        }
    }

    private final CountingAction action = new CountingAction();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T03:00:01Z"), ZoneOffset.UTC);

    private RemediationService service(boolean dryRun, Set<String> dryRunActions) {
        WorkersConfig config = new WorkersConfig();
        config.setDryRun(dryRun);
        config.setDryRunActions(dryRunActions);
        return new RemediationService(List.of(action), config, new AwsConfig().getRegion(), clock, 100);
    }

    @Test
    void dryRunRecordsThePlanAndChangesNothing() throws Exception {
        RemediationOutcome outcome = service(true, Set.of())
                .handle(Requests.request("r1", "restart-widget", "widget:w-7", Map.of())).orElseThrow();

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.PLANNED);
        assertThat(outcome.getDryRun()).isTrue();
        assertThat(outcome.getSummary()).isEqualTo("dry-run: would restart widget w-7");
        assertThat(outcome.getInputs()).containsEntry("resource", "widget:w-7");
        assertThat(action.runs).hasValue(0);
    }

    @Test
    void anActionHeldInDryRunStaysInDryRunWhenTheGlobalSwitchIsOff() throws Exception {
        RemediationOutcome outcome = service(false, Set.of("restart-widget"))
                .handle(Requests.request("r2", "restart-widget", "widget:w-7", Map.of())).orElseThrow();

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.PLANNED);
        assertThat(action.runs).hasValue(0);
    }

    @Test
    void liveRunRecordsBeforeAndAfter() throws Exception {
        RemediationOutcome outcome = service(false, Set.of())
                .handle(Requests.request("r3", "restart-widget", "widget:w-7", Map.of())).orElseThrow();

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(outcome.getBefore()).containsEntry("pid", "1");
        assertThat(outcome.getAfter()).containsEntry("pid", "2");
        assertThat(outcome.getIncidentId()).isEqualTo("inc-r3");
    }

    @Test
    void aRedeliveredRequestNeverRunsTwiceAndGetsItsOutcomeAgain() throws Exception {
        RemediationService service = service(false, Set.of());
        RemediationOutcome first = service.handle(Requests.request("r4", "restart-widget", "widget:w-7", Map.of())).orElseThrow();
        RemediationOutcome again = service.handle(Requests.request("r4", "restart-widget", "widget:w-7", Map.of())).orElseThrow();

        assertThat(action.runs).hasValue(1);
        assertThat(again).as("an outcome not known to be written is given again, to be written").isEqualTo(first);
        assertThat(again.getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);

        service.written("r4");
        assertThat(service.handle(Requests.request("r4", "restart-widget", "widget:w-7", Map.of()))).isEmpty();
        assertThat(action.runs).hasValue(1);
    }

    @Test
    void aRequestForAResourceInAnotherRegionIsRefusedNotRunHere() throws Exception {
        RemediationService service = service(false, Set.of());
        RemediationRequest elsewhere = Requests.request("r9", "restart-widget", "widget:w-7", Map.of());
        elsewhere.setRegion("eu-west-1");
        RemediationOutcome outcome = service.handle(elsewhere).orElseThrow();

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(outcome.getSummary()).contains("region eu-west-1").contains("acts in us-east-1");
        assertThat(action.runs).hasValue(0);
        RemediationRequest here = Requests.request("r10", "restart-widget", "widget:w-7", Map.of());
        here.setRegion("us-east-1");
        assertThat(service.handle(here).orElseThrow().getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
        RemediationRequest unnamed = Requests.request("r11", "restart-widget", "widget:w-7", Map.of());
        unnamed.setRegion("EU (Ireland)");   // not a region code (a label's free text): not compared
        assertThat(service.handle(unnamed).orElseThrow().getStatus()).isEqualTo(OutcomeStatus.SUCCEEDED);
    }

    @Test
    void anUnknownActionIsRefused() throws Exception {
        RemediationOutcome outcome = service(false, Set.of())
                .handle(Requests.request("r5", "delete-everything", null, Map.of())).orElseThrow();

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(outcome.getSummary()).contains("delete-everything");
    }

    @Test
    void aStepMissingItsInputsIsRefusedNotRun() throws Exception {
        RemediationOutcome outcome = service(false, Set.of())
                .handle(Requests.request("r6", "restart-widget", null, Map.of())).orElseThrow();

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(outcome.getError()).contains("widget");
        assertThat(action.runs).hasValue(0);
    }
}
