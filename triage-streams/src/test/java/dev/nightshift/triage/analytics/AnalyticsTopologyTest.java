package dev.nightshift.triage.analytics;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentHistory;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepStatus;
import dev.nightshift.triage.analytics.AnalyticsFigures.Dimension;
import dev.nightshift.triage.analytics.AnalyticsFigures.GroupFigures;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.triage.testing.Alerts;
import dev.nightshift.triage.testing.TriageDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.nightshift.triage.analytics.Records.PAYMENTS;
import static org.assertj.core.api.Assertions.assertThat;

/** The analytics histories built by the triage topology from the records themselves, in a TopologyTestDriver. */
class AnalyticsTopologyTest {
    private static final Instant T0 = TriageDriver.T0;   // 2026-11-21T10:00:00Z
    private final TriageDriver triage = new TriageDriver(LifecycleSettings.defaults(), ClassificationRules.none(), "unowned");
    private final IncidentFacts facts = new IncidentFacts(TeamHours.parse("UTC", "09:00-18:00", "MON-FRI", ""), Duration.ofMinutes(5));

    @AfterEach
    void close() {
        triage.close();
    }

    private List<IncidentFact> facts() {
        return triage.histories().values().stream().map(facts::of).flatMap(Optional::stream).toList();
    }

    @Test
    void openedAtTenAcknowledgedAtFivePastResolvedAtTwentyPastGivesMttaFiveMinutesAndMttrTwenty() {
        triage.send(Alerts.firing("fp-1", "orders throttled").setTeam("payments").build(), T0);
        String id = triage.incidents().get(0).value().getIncidentId();
        triage.outcome(Records.step(id, "r1", 0, "raise capacity", "dynamodb-scale", OutcomeStatus.SUCCEEDED,
                T0.plusSeconds(60), T0.plusSeconds(70)).build(), T0.plusSeconds(70));
        triage.outcome(Records.step(id, "r2", 1, "check the table", "manual", OutcomeStatus.HANDED_OVER,
                T0.plusSeconds(80), T0.plusSeconds(80)).build(), T0.plusSeconds(80));
        triage.playbookRun(Records.run(id, RunStatus.COMPLETED, 3, T0.plusSeconds(50), T0.plusSeconds(80), List.of(
                Records.stepRun(0, "raise capacity", "dynamodb-scale", false, StepStatus.SUCCEEDED),
                Records.stepRun(1, "check the table", "manual", true, StepStatus.HANDED_OVER))));
        triage.response(Records.acknowledgement(id, "U0AAA1", T0.plus(Duration.ofMinutes(5))), T0.plus(Duration.ofMinutes(5)));
        triage.send(Alerts.resolved("fp-1", "orders throttled").setTeam("payments").build(), T0.plus(Duration.ofMinutes(20)));
        triage.advanceWallClock(Duration.ofMinutes(11));   // the reopen window has passed: the outcome is published

        assertThat(triage.incidentOutcomes()).hasSize(1);
        IncidentFact fact = facts().get(0);
        assertThat(fact.incidentId()).isEqualTo(id);
        assertThat(fact.timeToAcknowledgeMillis()).isEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(fact.timeToResolveMillis()).isEqualTo(Duration.ofMinutes(20).toMillis());
        assertThat(fact.timeToFirstAutomatedStepMillis()).isEqualTo(60_000L);
        assertThat(fact.playbookRan()).isTrue();
        assertThat(fact.automatedSteps()).isEqualTo(1);
        assertThat(fact.manualSteps()).isEqualTo(1);
        assertThat(fact.resolvedByAutomation()).as("a person acknowledged it").isFalse();

        GroupFigures payments = AnalyticsFigures.byGroup(facts(), Dimension.TEAM).get(0);
        assertThat(payments.group()).isEqualTo("payments");
        assertThat(payments.mttaMeanSeconds()).isEqualTo(300.0);
        assertThat(payments.mttrMeanSeconds()).isEqualTo(1200.0);
        assertThat(payments.timeToFirstAutomatedStepMeanSeconds()).isEqualTo(60.0);
    }

    @Test
    void anOutcomeArrivingLateCountsInTheWindowOfItsIncidentsOpening() {
        Instant now = T0;
        // published today, about an incident that opened three days ago, after one that opened an hour ago
        triage.incidentOutcome(outcome("fp-recent-1", now.minus(Duration.ofHours(1)), Duration.ofMinutes(10)), now);
        triage.incidentOutcome(outcome("fp-old-1", now.minus(Duration.ofDays(3)), Duration.ofMinutes(30)), now.plusSeconds(5));

        List<IncidentFact> all = facts();
        assertThat(all).hasSize(2);
        assertThat(all.stream().filter(f -> AnalyticsWindow.H24.contains(f.openedAt(), now)))
                .extracting(IncidentFact::timeToResolveMillis).containsExactly(600_000L);
        assertThat(all.stream().filter(f -> AnalyticsWindow.D7.contains(f.openedAt(), now))).hasSize(2);
        assertThat(AnalyticsFigures.byGroup(all.stream().filter(f -> AnalyticsWindow.D7.contains(f.openedAt(), now)).toList(),
                Dimension.TEAM).get(0).mttrMeanSeconds()).isEqualTo(1200.0);
    }

    @Test
    void aRedeliveredRecordIsCountedOnce() {
        triage.incidentOutcome(outcome("fp-2-1", T0, Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(21)));
        var handover = Records.step("fp-2-1", "r9", 0, "restart by hand", "manual", OutcomeStatus.HANDED_OVER, T0, T0).build();
        triage.outcome(handover, T0.plusSeconds(1));
        triage.outcome(handover, T0.plusSeconds(2));
        triage.delivery(Records.page("fp-2-1", "n1", T0.plusSeconds(3)));
        triage.delivery(Records.page("fp-2-1", "n1", T0.plusSeconds(3)));

        IncidentFact fact = facts().get(0);
        assertThat(fact.manualSteps()).isEqualTo(1);
        assertThat(fact.pages()).isEqualTo(1);
        assertThat(fact.pagesOutOfHours()).as("Saturday").isEqualTo(1);
        assertThat(fact.outOfHours()).isTrue();
    }

    @Test
    void theHistoryKeepsTheIncidentsChangesAndEachRunsTransitions() {
        triage.send(Alerts.firing("fp-3", "CPU high").build(), T0);
        String id = triage.incidents().get(0).value().getIncidentId();
        triage.playbookRun(Records.run(id, RunStatus.RUNNING, 1, T0, T0.plusSeconds(1), List.of()));
        triage.playbookRun(Records.run(id, RunStatus.RUNNING, 2, T0, T0.plusSeconds(2), List.of()));
        triage.playbookRun(Records.run(id, RunStatus.COMPLETED, 3, T0, T0.plusSeconds(3), List.of()));
        triage.send(Alerts.resolved("fp-3", "CPU high").build(), T0.plusSeconds(90));

        IncidentHistory history = triage.histories().get(id);
        assertThat(history.getChanges()).extracting(Incident::getChange).containsExactly("opened", "resolved");
        assertThat(history.getRunTransitions()).extracting(t -> t.getStatus()).containsExactly(RunStatus.RUNNING, RunStatus.COMPLETED);
        assertThat(history.getLatestRuns()).singleElement().satisfies(r -> assertThat(r.getVersion()).isEqualTo(3));
        assertThat(history.getOutcome()).as("not closed yet: its reopen window is open").isNull();
    }

    @Test
    void historiesAreDroppedOnceOlderThanTheRetention() {
        triage.incidentOutcome(outcome("fp-4-1", T0, Duration.ofMinutes(10)), T0);
        assertThat(triage.histories()).hasSize(1);
        triage.advanceWallClock(new dev.nightshift.triage.service.TriageConfig().getAnalyticsRetention().plusHours(1));
        assertThat(triage.histories()).isEmpty();
    }

    private static IncidentOutcome outcome(String incidentId, Instant opened, Duration toResolve) {
        return IncidentOutcome.newBuilder().setIncidentId(incidentId).setFingerprint(incidentId.substring(0, incidentId.lastIndexOf('-')))
                .setSource(dev.nightshift.schema.AlertSource.GENERIC).setName("CPU high").setCategory("compute").setOwner(PAYMENTS)
                .setFinalState(IncidentState.RESOLVED).setClosedReason("resolved at source").setOccurrences(1)
                .setOpenedAt(opened).setClosedAt(opened.plus(toResolve)).setTimeToResolveMillis(toResolve.toMillis()).build();
    }
}
