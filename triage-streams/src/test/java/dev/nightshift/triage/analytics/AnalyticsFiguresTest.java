package dev.nightshift.triage.analytics;

import dev.nightshift.triage.analytics.AnalyticsFigures.Dimension;
import dev.nightshift.triage.analytics.AnalyticsFigures.GroupFigures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

class AnalyticsFiguresTest {

    @Test
    void openedAtTenAcknowledgedAtFivePastResolvedAtTwentyPastGivesMttaFiveMinutesAndMttrTwenty() {
        IncidentFact incident = Facts.incident().opened("2026-11-20T10:00:00Z").acknowledgedAfter(ofMinutes(5))
                .resolvedAfter(ofMinutes(20)).build();

        GroupFigures payments = AnalyticsFigures.byGroup(List.of(incident), Dimension.TEAM).get(0);

        assertThat(payments.group()).isEqualTo("payments");
        assertThat(payments.incidents()).isEqualTo(1);
        assertThat(payments.mttaMeanSeconds()).isEqualTo(300.0);
        assertThat(payments.mttrMeanSeconds()).isEqualTo(1200.0);
        assertThat(payments.mttrP50Seconds()).isEqualTo(1200.0);
        assertThat(payments.mttrP90Seconds()).isEqualTo(1200.0);
        assertThat(payments.timeToFirstAutomatedStepMeanSeconds()).as("no automated step").isNull();
        assertThat(payments.resolvedByAutomationShare()).isZero();
    }

    @Test
    void percentilesAreNearestRankOverEveryIncidentOfTheGroup() {
        List<IncidentFact> facts = new ArrayList<>();
        for (int minutes = 1; minutes <= 10; minutes++) {
            facts.add(Facts.incident().resolvedAfter(ofMinutes(minutes)).build());
        }

        GroupFigures figures = AnalyticsFigures.byGroup(facts, Dimension.TEAM).get(0);

        assertThat(figures.mttrMeanSeconds()).isEqualTo(330.0);   // 5.5 minutes
        assertThat(figures.mttrP50Seconds()).isEqualTo(300.0);    // rank 5 of 10
        assertThat(figures.mttrP90Seconds()).isEqualTo(540.0);    // rank 9 of 10
        assertThat(AnalyticsFigures.percentile(List.of(7L, 1L, 3L), 90)).isEqualTo(7L);
        assertThat(AnalyticsFigures.percentile(List.of(), 50)).isNull();
    }

    @Test
    void expiredIncidentsCountAsIncidentsButGiveNoResolveTime() {
        List<IncidentFact> facts = List.of(Facts.incident().resolvedAfter(ofMinutes(10)).build(), Facts.incident().expired().build());

        GroupFigures figures = AnalyticsFigures.byGroup(facts, Dimension.TEAM).get(0);

        assertThat(figures.incidents()).isEqualTo(2);
        assertThat(figures.mttrMeanSeconds()).isEqualTo(600.0);
        assertThat(figures.mttaMeanSeconds()).isNull();
    }

    @Test
    void automationFiguresAndResponderTimeSavedAgainstPeopleOnTheSameKind() {
        // people took 30 and 50 minutes on this kind (mean 40); automation resolved two in 4 and 10 minutes
        List<IncidentFact> facts = List.of(
                Facts.incident().kind("capacity", "orders throttled").resolvedAfter(ofMinutes(30)).build(),
                Facts.incident().kind("capacity", "orders throttled").resolvedAfter(ofMinutes(50)).build(),
                Facts.incident().kind("capacity", "orders throttled").resolvedAfter(ofMinutes(4))
                        .playbook("dynamodb-throttling", ofSeconds(30), 2, 0, true).build(),
                Facts.incident().kind("capacity", "orders throttled").resolvedAfter(ofMinutes(10))
                        .playbook("dynamodb-throttling", ofSeconds(90), 1, 0, true).build(),
                // another kind that people never handled: automation saved nothing measurable there
                Facts.incident().kind("compute", "lambda errors").resolvedAfter(ofMinutes(3))
                        .playbook("lambda", ofSeconds(10), 1, 0, true).build());

        GroupFigures figures = AnalyticsFigures.byGroup(facts, Dimension.TEAM).get(0);

        assertThat(figures.incidents()).isEqualTo(5);
        assertThat(figures.resolvedByAutomationShare()).isEqualTo(0.6);
        assertThat(figures.timeToFirstAutomatedStepMeanSeconds()).isEqualTo(130.0 / 3);
        assertThat(figures.timeToFirstAutomatedStepP50Seconds()).isEqualTo(30.0);
        assertThat(figures.responderTimeSavedSeconds()).isEqualTo((36 + 30) * 60.0);
    }

    @Test
    void groupsByTeamServiceOrCategoryWithTheGroupNameAsAPlainField() {
        List<IncidentFact> facts = List.of(
                Facts.incident().team("payments").service("checkout").kind("database", "a").resolvedAfter(ofMinutes(10)).build(),
                Facts.incident().team("payments").service("ledger").kind("capacity", "b").resolvedAfter(ofMinutes(20)).build(),
                Facts.incident().team("search").service("indexer").kind("capacity", "c").resolvedAfter(ofMinutes(60)).build());

        assertThat(AnalyticsFigures.byGroup(facts, Dimension.TEAM)).extracting(GroupFigures::group, GroupFigures::incidents,
                GroupFigures::mttrMeanSeconds).containsExactly(
                org.assertj.core.groups.Tuple.tuple("payments", 2, 900.0), org.assertj.core.groups.Tuple.tuple("search", 1, 3600.0));
        assertThat(AnalyticsFigures.byGroup(facts, Dimension.SERVICE)).extracting(GroupFigures::group)
                .containsExactly("checkout", "indexer", "ledger");
        assertThat(AnalyticsFigures.byGroup(facts, Dimension.CATEGORY).get(0).row(Dimension.CATEGORY))
                .containsEntry("category", "capacity").containsEntry("incidents", 2).containsEntry("mttrMeanSeconds", 2400.0);
    }

    @Test
    void anIncidentBelongsToTheWindowsOfItsOpeningTime() {
        Instant until = Instant.parse("2026-11-21T12:00:00Z");
        long twoDaysBefore = Instant.parse("2026-11-19T12:00:00Z").toEpochMilli();
        long anHourBefore = Instant.parse("2026-11-21T11:00:00Z").toEpochMilli();

        assertThat(AnalyticsWindow.H24.contains(anHourBefore, until)).isTrue();
        assertThat(AnalyticsWindow.H24.contains(twoDaysBefore, until)).isFalse();
        assertThat(AnalyticsWindow.D7.contains(twoDaysBefore, until)).isTrue();
        assertThat(AnalyticsWindow.D30.contains(Instant.parse("2026-10-21T12:00:00Z").toEpochMilli(), until))
                .as("exactly 30 days before: the window's start is excluded").isFalse();
        assertThat(AnalyticsWindow.ALL.contains(0, until)).isTrue();
        assertThat(AnalyticsWindow.D7.contains(until.toEpochMilli() + 1, until)).as("after the window's end").isFalse();
        assertThat(AnalyticsWindow.parse("7D")).contains(AnalyticsWindow.D7);
        assertThat(AnalyticsWindow.parse("week")).isEmpty();
    }

    @Test
    void figuresPerWeekAreEachWeeksOwnByTheIncidentsOpeningTime() {
        // 2026-11-16 is a Monday: the Sunday 23:59 incident belongs to the week before, Monday 00:00 to the new one
        List<IncidentFact> facts = List.of(
                Facts.incident().team("payments").opened("2026-11-15T23:59:00Z").acknowledgedAfter(ofMinutes(5))
                        .resolvedAfter(ofMinutes(20)).build(),
                Facts.incident().team("payments").opened("2026-11-16T00:00:00Z").acknowledgedAfter(ofMinutes(10))
                        .resolvedAfter(ofMinutes(40)).build(),
                Facts.incident().team("payments").opened("2026-11-20T10:00:00Z").resolvedAfter(ofMinutes(60)).build(),
                Facts.incident().team("search").opened("2026-11-18T10:00:00Z").resolvedAfter(ofMinutes(15)).build());

        List<AnalyticsFigures.PeriodFigures> weeks = AnalyticsFigures.byPeriod(facts, Dimension.TEAM, AnalyticsFigures.Period.WEEK);

        assertThat(weeks).extracting(w -> w.periodStart().toString(), w -> w.figures().group(), w -> w.figures().incidents(),
                w -> w.figures().mttrMeanSeconds(), w -> w.figures().mttaMeanSeconds()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("2026-11-09T00:00:00Z", "payments", 1, 1200.0, 300.0),
                org.assertj.core.groups.Tuple.tuple("2026-11-16T00:00:00Z", "payments", 2, 3000.0, 600.0),
                org.assertj.core.groups.Tuple.tuple("2026-11-16T00:00:00Z", "search", 1, 900.0, null));
        assertThat(weeks.get(0).row(Dimension.TEAM)).containsEntry("periodStart", "2026-11-09T00:00:00Z")
                .containsEntry("team", "payments").containsEntry("mttrMeanSeconds", 1200.0);
    }

    @Test
    void figuresPerDayStartAtMidnightUtc() {
        List<IncidentFact> facts = List.of(
                Facts.incident().team("payments").opened("2026-11-19T10:00:00Z").resolvedAfter(ofMinutes(20)).build(),
                Facts.incident().team("payments").opened("2026-11-20T00:00:00Z").resolvedAfter(ofMinutes(40)).build(),
                Facts.incident().team("payments").opened("2026-11-20T23:59:59Z").resolvedAfter(ofMinutes(20)).build());

        assertThat(AnalyticsFigures.byPeriod(facts, Dimension.TEAM, AnalyticsFigures.Period.DAY))
                .extracting(d -> d.periodStart().toString(), d -> d.figures().incidents(), d -> d.figures().mttrMeanSeconds())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-11-19T00:00:00Z", 1, 1200.0),
                        org.assertj.core.groups.Tuple.tuple("2026-11-20T00:00:00Z", 2, 1800.0));
        assertThat(AnalyticsFigures.Period.parse("Week")).contains(AnalyticsFigures.Period.WEEK);
        assertThat(AnalyticsFigures.Period.parse("month")).isEmpty();
    }
}
