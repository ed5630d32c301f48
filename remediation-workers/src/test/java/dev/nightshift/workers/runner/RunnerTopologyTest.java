package dev.nightshift.workers.runner;

import dev.nightshift.commands.Controls;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.CommandKind;
import dev.nightshift.schema.ControlKind;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.StepStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.nightshift.workers.runner.RunnerDriver.T0;
import static dev.nightshift.workers.runner.RunnerDriver.incident;
import static org.assertj.core.api.Assertions.assertThat;

class RunnerTopologyTest {
    private static final String ID = "fp-orders-1a2b";
    private RunnerDriver runner = new RunnerDriver();

    @AfterEach
    void close() {
        runner.close();
    }

    private static StepRun step(PlaybookRun run, String name) {
        return run.getSteps().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    /** Opens the incident outside prod and answers its first (enrichment) step. */
    private RemediationRequest openAndPassTheMetricsStep() {
        runner.incident(incident(ID, "throttled").build());
        RemediationRequest metrics = runner.requests("cloudwatch-metrics").get(0);
        runner.answer(metrics, OutcomeStatus.SUCCEEDED, Map.of("max", "240"), null);
        return metrics;
    }

    @Test
    void anIncidentThatOpensStartsItsPlaybookAndEachOutcomeMovesItOnToTheEnd() {
        runner.incident(incident(ID, "throttled").build());

        List<RemediationRequest> metrics = runner.requests("cloudwatch-metrics");
        assertThat(metrics).singleElement().satisfies(r -> {
            assertThat(r.getRequestId()).isEqualTo(ID + ":throttled:1:0");
            assertThat(r.getParameters()).containsEntry("metric", "ReadThrottleEvents").containsEntry("namespace", "AWS/DynamoDB");
            assertThat(r.getDryRun()).isFalse();
            assertThat(r.getMode()).isEqualTo("run");
        });
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.RUNNING);
        assertThat(step(runner.lastRun(), "metrics").getStatus()).isEqualTo(StepStatus.REQUESTED);

        runner.answer(metrics.get(0), OutcomeStatus.SUCCEEDED, Map.of("max", "240"), null);
        List<RemediationRequest> scale = runner.requests("dynamodb-scale");
        assertThat(scale).as("outside prod the change needs no approval; the guard let it through").singleElement()
                .satisfies(r -> assertThat(r.getParameters()).containsEntry("table", "orders-eu").containsEntry("factor", "1.5"));
        runner.answer(scale.get(0), OutcomeStatus.SUCCEEDED, Map.of("readCapacityUnits", "150"), null);
        RemediationRequest stable = runner.requests("wait-stable").get(0);
        runner.answer(stable, OutcomeStatus.SUCCEEDED, Map.of(), null);

        PlaybookRun done = runner.lastRun();
        assertThat(done.getStatus()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.getSteps()).extracting(StepRun::getStatus).containsOnly(StepStatus.SUCCEEDED);
        assertThat(step(done, "metrics").getResults()).containsEntry("max", "240");
        assertThat(step(done, "scale").getResults()).containsEntry("readCapacityUnits", "150");
        assertThat(runner.runs()).extracting(PlaybookRun::getVersion).isSorted();
    }

    @Test
    void aFailedEnrichmentNeverBlocksTheFixButAFailedChangeEscalatesAsItsStepSays() {
        runner.incident(incident(ID, "throttled").build());
        runner.answer(runner.requests("cloudwatch-metrics").get(0), OutcomeStatus.FAILED, Map.of(), null);
        RemediationRequest scale = runner.requests("dynamodb-scale").get(0);
        assertThat(step(runner.lastRun(), "metrics").getStatus()).isEqualTo(StepStatus.FAILED);

        runner.answer(scale, OutcomeStatus.FAILED, Map.of(), null);

        PlaybookRun run = runner.lastRun();
        assertThat(run.getStatus()).isEqualTo(RunStatus.ESCALATED);
        assertThat(run.getReason()).contains("'scale' failed");
        assertThat(step(run, "stable").getStatus()).isEqualTo(StepStatus.PENDING);
        assertThat(runner.requests("wait-stable")).isEmpty();
    }

    @Test
    void inProdAStepWaitsForAnAllowedApproverAndRunsOnceApproved() {
        runner.owners("orders", "prod", "U0AAA1", "sam@example.com");
        openAndPassTheMetricsStep();

        ApprovalRequest asked = runner.lastApproval();
        assertThat(asked.getStatus()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(asked.getApprovers()).containsExactly("U0AAA1", "sam@example.com");
        assertThat(asked.getPlan()).contains("dynamodb-scale").contains("dynamodb:table/orders-eu").contains("table=orders-eu");
        assertThat(asked.getEnvironment()).isEqualTo("prod");
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.AWAITING_APPROVAL);
        assertThat(runner.requests("dynamodb-scale")).isEmpty();

        runner.decide(asked.getApprovalId(), "mallory@example.com", true);
        ApprovalRequest notCounted = runner.lastApproval();
        assertThat(notCounted.getStatus()).as("someone not allowed to approve").isEqualTo(ApprovalStatus.PENDING);
        assertThat(notCounted.getVotes()).singleElement().satisfies(v -> {
            assertThat(v.getBy()).isEqualTo("mallory@example.com");
            assertThat(v.getCounted()).isFalse();
        });
        assertThat(runner.requests("dynamodb-scale")).isEmpty();

        runner.decide(asked.getApprovalId(), "SAM@example.com", true);
        assertThat(runner.lastApproval().getStatus()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(runner.requests("dynamodb-scale")).singleElement()
                .satisfies(r -> assertThat(r.getApprovedBy()).containsExactly("SAM@example.com"));
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void twoDistinctApproversAreNeededWhenTheStepSaysTwo() {
        runner.owners("orders", "prod", "U0AAA1", "U0BBB2");
        runner.incident(incident(ID, "paired").build());
        String approval = runner.lastApproval().getApprovalId();

        runner.decide(approval, "U0AAA1", true);
        runner.decide(approval, "U0AAA1", true);
        assertThat(runner.lastApproval().getStatus()).as("one person twice is one approval").isEqualTo(ApprovalStatus.PENDING);
        runner.decide(approval, "U0BBB2", true);

        assertThat(runner.lastApproval().getStatus()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(runner.requests("dynamodb-scale")).singleElement()
                .satisfies(r -> assertThat(r.getApprovedBy()).containsExactly("U0AAA1", "U0BBB2"));
    }

    @Test
    void aSlackPressCountsForAnApproverListedByEmailAndNobodyElse() {
        runner.owners("orders", "prod", "sam@example.com");
        openAndPassTheMetricsStep();
        String approval = runner.lastApproval().getApprovalId();

        runner.decide(approval, "U0ZZZ9", List.of("mallory@example.com"), "slack", true);
        runner.decide(approval, "U0YYY8", List.of(), "slack", true);
        assertThat(runner.lastApproval().getStatus()).as("neither Slack user is on the list, by id or e-mail").isEqualTo(ApprovalStatus.PENDING);
        assertThat(runner.lastApproval().getVotes()).extracting(v -> v.getBy() + ":" + v.getCounted())
                .containsExactly("U0ZZZ9:false", "U0YYY8:false");
        assertThat(runner.requests("dynamodb-scale")).isEmpty();

        runner.decide(approval, "U0AAA1", List.of("Sam@Example.com"), "slack", true);

        ApprovalRequest approved = runner.lastApproval();
        assertThat(approved.getStatus()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(approved.getVotes()).last().satisfies(v -> {
            assertThat(v.getBy()).as("the approver as the list names them").isEqualTo("sam@example.com");
            assertThat(v.getChannel()).isEqualTo("slack");
            assertThat(v.getCounted()).isTrue();
        });
        assertThat(runner.requests("dynamodb-scale")).as("the step runs").singleElement()
                .satisfies(r -> assertThat(r.getApprovedBy()).containsExactly("sam@example.com"));
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void onePersonCountsOnceWhetherTheyDecideInSlackOrOnTheCommandLine() {
        runner.owners("orders", "prod", "sam@example.com", "U0BBB2");
        runner.incident(incident(ID, "paired").build());
        String approval = runner.lastApproval().getApprovalId();

        runner.decide(approval, "sam@example.com", true);
        runner.decide(approval, "U0AAA1", List.of("sam@example.com"), "slack", true);
        assertThat(runner.lastApproval().getStatus()).as("sam twice, by two names, is one approval").isEqualTo(ApprovalStatus.PENDING);
        assertThat(runner.lastApproval().getVotes()).singleElement().satisfies(v -> assertThat(v.getChannel()).isEqualTo("slack"));

        runner.decide(approval, "U0BBB2", true);
        assertThat(runner.lastApproval().getStatus()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(runner.requests("dynamodb-scale")).singleElement()
                .satisfies(r -> assertThat(r.getApprovedBy()).containsExactly("sam@example.com", "U0BBB2"));
    }

    @Test
    void aRejectionOrAnExpiredRequestRefusesTheStepAndEscalatesTheRun() {
        runner.owners("orders", "prod", "U0AAA1");
        openAndPassTheMetricsStep();
        runner.decide(runner.lastApproval().getApprovalId(), "U0AAA1", false);

        assertThat(runner.lastApproval().getStatus()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(runner.outcomes()).last().satisfies(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
            assertThat(o.getGuardrail()).isEqualTo("approval");
            assertThat(o.getSummary()).contains("rejected by U0AAA1");
        });
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.ESCALATED);

        runner.incident(incident("fp-orders-3c4d", "throttled").build());
        RemediationRequest metrics = runner.requests("cloudwatch-metrics").get(0);
        runner.answer(metrics, OutcomeStatus.SUCCEEDED, Map.of(), null);
        runner.advance(Duration.ofMinutes(31));

        assertThat(runner.lastApproval().getStatus()).isEqualTo(ApprovalStatus.EXPIRED);
        assertThat(runner.outcomes()).last().satisfies(o -> {
            assertThat(o.getIncidentId()).isEqualTo("fp-orders-3c4d");
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
            assertThat(o.getSummary()).contains("nobody approved within PT30M");
        });
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.ESCALATED);
        assertThat(runner.requests("dynamodb-scale")).isEmpty();
    }

    @Test
    void anIncidentThatResolvesCancelsTheStepsNotYetStarted() {
        runner.owners("orders", "prod", "U0AAA1");
        openAndPassTheMetricsStep();

        runner.incident(incident(ID, "throttled").setState(IncidentState.RESOLVED).setChange("resolved").setVersion(2).build());

        PlaybookRun run = runner.lastRun();
        assertThat(run.getStatus()).isEqualTo(RunStatus.CANCELLED);
        assertThat(step(run, "scale").getStatus()).isEqualTo(StepStatus.CANCELLED);
        assertThat(step(run, "stable").getStatus()).isEqualTo(StepStatus.CANCELLED);
        assertThat(runner.lastApproval().getStatus()).isEqualTo(ApprovalStatus.CANCELLED);
        runner.decide(runner.lastApproval().getApprovalId(), "U0AAA1", true);
        assertThat(runner.requests("dynamodb-scale")).as("a late approval runs nothing").isEmpty();
    }

    @Test
    void aFlappingIncidentsRunIsHeldUntilItSettles() {
        runner.incident(incident(ID, "throttled").setFlapping(true).build());
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.HELD);
        assertThat(runner.requests("cloudwatch-metrics")).isEmpty();

        runner.incident(incident(ID, "throttled").setFlapping(false).setChange("repeated").setVersion(2).build());

        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.RUNNING);
        assertThat(runner.requests("cloudwatch-metrics")).hasSize(1);
    }

    @Test
    void aReopenedIncidentStartsItsPlaybookAgainAndTheGuardrailsDecide() {
        openAndPassTheMetricsStep();
        runner.answer(runner.requests("dynamodb-scale").get(0), OutcomeStatus.SUCCEEDED, Map.of(), null);
        runner.incident(incident(ID, "throttled").setState(IncidentState.RESOLVED).setChange("resolved").setVersion(2).build());
        runner.incident(incident(ID, "throttled").setChange("reopened").setVersion(3).build());

        assertThat(runner.lastRun().getRun()).isEqualTo(2);
        runner.answer(runner.requests("cloudwatch-metrics").get(0), OutcomeStatus.SUCCEEDED, Map.of(), null);
        assertThat(runner.outcomes()).last().satisfies(o -> {
            assertThat(o.getRequestId()).isEqualTo(ID + ":throttled:2:1");
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
            assertThat(o.getGuardrail()).isEqualTo("blast-radius");
            assertThat(o.getSummary()).contains("at most 1 live run(s) of dynamodb-scale per resource");
        });
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.ESCALATED);
    }

    @Test
    void theBlastRadiusOverAllResourcesIsCountedAcrossIncidents() {
        runner.close();
        runner = new RunnerDriver(new Guardrails.Limits(1, 2, Duration.ofHours(1), 3), Set.of());
        for (String table : List.of("orders-a", "orders-b", "orders-c")) {
            runner.incident(incident("fp-" + table + "-1", "throttled").setResource("dynamodb:table/" + table)
                    .setLabels(Map.of("TableName", table)).build());
        }
        runner.requests("cloudwatch-metrics").forEach(r -> runner.answer(r, OutcomeStatus.SUCCEEDED, Map.of(), null));

        assertThat(runner.requests("dynamodb-scale")).extracting(RemediationRequest::getResource)
                .containsExactly("dynamodb:table/orders-a", "dynamodb:table/orders-b");
        assertThat(runner.outcomes()).filteredOn(o -> o.getStatus() == OutcomeStatus.REFUSED)
                .singleElement().satisfies(o -> {
            assertThat(o.getResource()).isEqualTo("dynamodb:table/orders-c");
            assertThat(o.getSummary()).contains("at most 2 live runs of dynamodb-scale per PT1H over all resources");
        });

        runner.advance(Duration.ofMinutes(61));
        runner.incident(incident("fp-orders-d-1", "throttled").setResource("dynamodb:table/orders-d").setLabels(Map.of("TableName", "orders-d")).build());
        runner.answer(runner.requests("cloudwatch-metrics").stream().filter(r -> r.getIncidentId().equals("fp-orders-d-1")).findFirst()
                .orElseThrow(), OutcomeStatus.SUCCEEDED, Map.of(), null);
        assertThat(runner.requests("dynamodb-scale")).as("an hour later the window is free again")
                .filteredOn(r -> r.getMode().equals("run")).extracting(RemediationRequest::getResource).containsExactly("dynamodb:table/orders-d");
    }

    @Test
    void anActionWhoseLiveRunsKeepFailingIsSwitchedOffUntilAPersonSwitchesItOn() {
        runner.close();
        runner = new RunnerDriver(new Guardrails.Limits(5, 50, Duration.ofHours(1), 3), Set.of());
        for (int i = 0; i < 3; i++) {
            String id = "fp-t" + i + "-1";
            runner.incident(incident(id, "handover").setResource("dynamodb:table/t" + i).build());
            runner.answer(runner.requests("dynamodb-scale").get(0), OutcomeStatus.FAILED, Map.of(), null);
        }
        runner.incident(incident("fp-t3-1", "handover").setResource("dynamodb:table/t3").build());

        assertThat(runner.requests("dynamodb-scale")).isEmpty();
        RemediationOutcome refused = runner.outcomes().stream().filter(o -> o.getIncidentId().equals("fp-t3-1")
                && o.getAction().equals("dynamodb-scale")).findFirst().orElseThrow();
        assertThat(refused.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
        assertThat(refused.getGuardrail()).isEqualTo("circuit-breaker");
        assertThat(refused.getSummary()).contains("circuit open").contains("./pipeline actions enable dynamodb-scale");

        runner.control(Controls.actionOf("dynamodb-scale"), ControlKind.ENABLE, T0.plusSeconds(5));
        runner.incident(incident("fp-t4-1", "handover").setResource("dynamodb:table/t4").build());
        assertThat(runner.requests("dynamodb-scale")).as("switched on again").hasSize(1);
    }

    @Test
    void runsRefusalsApprovalWaitsAndOpenCircuitsAreCountedForPrometheus() {
        runner.close();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        runner = new RunnerDriver(new Guardrails.Limits(5, 50, Duration.ofHours(1), 1), Set.of(), new RunnerMetrics(meters));
        runner.owners("orders", "prod", "U0AAA1");
        openAndPassTheMetricsStep();
        runner.decide(runner.lastApproval().getApprovalId(), "U0AAA1", true);
        runner.answer(runner.requests("dynamodb-scale").get(0), OutcomeStatus.FAILED, Map.of(), null);
        runner.incident(incident("fp-orders-5e6f", "handover").build());

        assertThat(meters.get("nightshift_runs_started").tag("playbook", "throttled").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("nightshift_approval_wait").tag("decision", "APPROVED").timer().count()).isEqualTo(1);
        assertThat(meters.get("nightshift_circuit_open").tag("action", "dynamodb-scale").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("nightshift_guardrail_refusals").tag("guardrail", "circuit-breaker").counter().count()).isEqualTo(1.0);
    }

    @Test
    void pausedAutomationSkipsLiveStepsWithTheReasonWhileDryRunStepsAreOnlyPlanned() {
        runner.control(Controls.PAUSE_ALL, ControlKind.PAUSE, T0);
        runner.incident(incident(ID, "handover").build());

        assertThat(runner.requests("dynamodb-scale")).isEmpty();
        assertThat(runner.outcomes()).filteredOn(o -> o.getAction().equals("dynamodb-scale")).singleElement().satisfies(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.SKIPPED);
            assertThat(o.getGuardrail()).isEqualTo("pause");
            assertThat(o.getSummary()).contains("paused by sam@example.com");
        });
        assertThat(runner.outcomes()).filteredOn(o -> o.getStatus() == OutcomeStatus.HANDED_OVER).singleElement()
                .satisfies(o -> assertThat(o.getInstructions()).isEqualTo("look at orders-eu: SKIPPED"));
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.COMPLETED);

        runner.close();
        runner = new RunnerDriver(Guardrails.Limits.defaults(), Set.of("dynamodb-scale"));
        runner.control(Controls.PAUSE_ALL, ControlKind.PAUSE, T0);
        runner.incident(incident(ID, "handover").build());
        assertThat(runner.requests("dynamodb-scale")).as("dry-run comes first: planned, changes nothing")
                .singleElement().satisfies(r -> assertThat(r.getDryRun()).isTrue());
    }

    @Test
    void aWaitingStepIsLookedAtAgainWhenItAsksAndFailsPastItsTimeout() {
        openAndPassTheMetricsStep();
        runner.answer(runner.requests("dynamodb-scale").get(0), OutcomeStatus.SUCCEEDED, Map.of(), null);
        RemediationRequest stable = runner.requests("wait-stable").get(0);
        runner.answer(stable, OutcomeStatus.WAITING, Map.of("rollout", "IN_PROGRESS"), 15_000L);
        assertThat(step(runner.lastRun(), "stable").getStatus()).isEqualTo(StepStatus.WAITING);

        runner.advance(Duration.ofSeconds(16));
        List<RemediationRequest> checks = runner.requests("wait-stable");
        assertThat(checks).singleElement().satisfies(c -> {
            assertThat(c.getMode()).isEqualTo("check");
            assertThat(c.getRequestId()).isEqualTo(stable.getRequestId());
            assertThat(c.getEarlier()).containsEntry("rollout", "IN_PROGRESS");
        });
        runner.answer(checks.get(0), OutcomeStatus.WAITING, Map.of(), 600_000L);
        runner.advance(Duration.ofMinutes(5));

        assertThat(runner.outcomes()).last().satisfies(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.FAILED);
            assertThat(o.getSummary()).contains("timed out after PT5M");
        });
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.ESCALATED);
    }

    @Test
    void aLiveChangeWithNoOutcomeIsAskedAboutThenReportedInterruptedAndRunsAgainOnlyWhenAPersonRetriesIt() {
        runner.close();
        runner = new RunnerDriver(new Guardrails.Limits(2, 10, Duration.ofHours(1), 3), Set.of());
        openAndPassTheMetricsStep();
        RemediationRequest scale = runner.requests("dynamodb-scale").get(0);

        runner.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(runner.requests("dynamodb-scale")).singleElement().satisfies(r -> {
            assertThat(r.getMode()).isEqualTo("recover");
            assertThat(r.getRequestId()).isEqualTo(scale.getRequestId());
        });
        runner.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(runner.outcomes()).last().satisfies(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.INTERRUPTED);
            assertThat(o.getSummary()).contains("is not run again");
        });
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.ESCALATED);
        assertThat(runner.requests("dynamodb-scale")).isEmpty();

        runner.command(ID, scale.getRequestId(), CommandKind.RETRY);
        assertThat(runner.requests("dynamodb-scale")).as("a second live run on the resource: within the limit of 2 an hour")
                .singleElement().satisfies(r -> {
            assertThat(r.getRequestId()).isEqualTo(scale.getRequestId() + ".1");
            assertThat(r.getMode()).isEqualTo("run");
        });
    }

    @Test
    void aFinishedChangeIsUndoneOnRequestWithItsEarlierResultsBehindTheSameGuardrails() {
        runner.close();
        runner = new RunnerDriver(new Guardrails.Limits(2, 10, Duration.ofHours(1), 3), Set.of());
        openAndPassTheMetricsStep();
        RemediationRequest scale = runner.requests("dynamodb-scale").get(0);
        outcomeWithBefore(scale);
        runner.answer(runner.requests("wait-stable").get(0), OutcomeStatus.SUCCEEDED, Map.of(), null);
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.COMPLETED);

        runner.command(ID, scale.getRequestId(), CommandKind.UNDO);

        assertThat(runner.requests("dynamodb-scale")).singleElement().satisfies(r -> {
            assertThat(r.getMode()).isEqualTo("undo");
            assertThat(r.getRequestId()).isEqualTo(scale.getRequestId() + ".1");
            assertThat(r.getEarlier()).containsEntry("before.readCapacityUnits", "100");
        });
    }

    private void outcomeWithBefore(RemediationRequest scale) {
        runner.answer(scale, OutcomeStatus.SUCCEEDED, Map.of("readCapacityUnits", "150"), null, Map.of("readCapacityUnits", "100"));
        assertThat(step(runner.lastRun(), "scale").getResults()).containsEntry("before.readCapacityUnits", "100");
    }

    @Test
    void aStepWhoseConditionOnEarlierResultsDoesNotHoldIsSkipped() {
        runner.incident(incident(ID, "conditional").build());
        runner.answer(runner.requests("cloudwatch-metrics").get(0), OutcomeStatus.SUCCEEDED, Map.of("max", "50"), null);

        assertThat(runner.requests("dynamodb-scale")).isEmpty();
        assertThat(runner.outcomes()).last().satisfies(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.SKIPPED);
            assertThat(o.getGuardrail()).isEqualTo("condition");
            assertThat(o.getSummary()).contains("${steps.read.max} > 100");
        });
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.COMPLETED);

        runner.incident(incident("fp-orders-9z", "conditional").build());
        runner.answer(runner.requests("cloudwatch-metrics").get(0), OutcomeStatus.SUCCEEDED, Map.of("max", "240"), null);
        assertThat(runner.requests("dynamodb-scale")).hasSize(1);
    }

    @Test
    void aStepWhoseInputHasNoValueIsRefusedAndItsRunEscalates() {
        runner.incident(incident(ID, "throttled").setLabels(Map.of()).build());
        runner.answer(runner.requests("cloudwatch-metrics").get(0), OutcomeStatus.SUCCEEDED, Map.of(), null);

        assertThat(runner.requests("dynamodb-scale")).isEmpty();
        assertThat(runner.outcomes()).last().satisfies(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.REFUSED);
            assertThat(o.getGuardrail()).isEqualTo("input");
            assertThat(o.getSummary()).contains("no value for [alert.labels.TableName]");
        });
        assertThat(runner.lastRun().getStatus()).isEqualTo(RunStatus.ESCALATED);
    }

    @Test
    void anIncidentWithoutAKnownPlaybookStartsNothing() {
        runner.incident(incident(ID, null).build());
        runner.incident(incident("fp-other-1", "no-such-playbook").build());

        assertThat(runner.runs()).isEmpty();
        assertThat(runner.driver().producedTopicNames()).noneMatch(t -> t.startsWith("actions."));
    }

}
