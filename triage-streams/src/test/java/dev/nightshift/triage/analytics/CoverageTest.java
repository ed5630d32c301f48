package dev.nightshift.triage.analytics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

class CoverageTest {
    private final List<IncidentFact> facts = new ArrayList<>();

    private void times(int count, Facts incident) {
        for (int i = 0; i < count; i++) {
            facts.add(incident.build());
        }
    }

    @Test
    void coverageCountsPerKindHowOftenAPlaybookRanItsStepsAndWhatAutomationResolved() {
        times(3, Facts.incident().kind("capacity", "orders throttled").resolvedAfter(ofMinutes(4))
                .playbook("dynamodb-throttling", ofSeconds(20), 2, 0, true));
        times(1, Facts.incident().kind("capacity", "orders throttled").resolvedAfter(ofMinutes(30))
                .playbook("dynamodb-throttling", ofSeconds(20), 1, 1, false));
        times(2, Facts.incident().kind("network", "5xx high").resolvedAfter(ofMinutes(15)));

        List<Coverage.KindCoverage> coverage = Coverage.of(facts);

        assertThat(coverage).hasSize(2);
        Coverage.KindCoverage throttled = coverage.get(0);
        assertThat(throttled.category()).isEqualTo("capacity");
        assertThat(throttled.alertName()).isEqualTo("orders throttled");
        assertThat(throttled.playbooks()).containsExactly("dynamodb-throttling");
        assertThat(throttled.fired()).isEqualTo(4);
        assertThat(throttled.playbookRuns()).isEqualTo(4);
        assertThat(throttled.automatedSteps()).isEqualTo(7);
        assertThat(throttled.manualSteps()).isEqualTo(1);
        assertThat(throttled.resolvedByAutomation()).isEqualTo(3);
        assertThat(throttled.handledByPeople()).isEqualTo(1);
        assertThat(throttled.peopleMeanSeconds()).isEqualTo(1800.0);
        assertThat(coverage.get(1)).extracting(Coverage.KindCoverage::fired, Coverage.KindCoverage::playbookRuns,
                Coverage.KindCoverage::resolvedByAutomation).containsExactly(2, 0, 0);
    }

    @Test
    void candidatesRankByFrequencyTimesTheTimePeopleSpent() {
        // frequent and still manual: 6 x 1,200 s (20 min) = 7,200
        times(6, Facts.incident().kind("network", "5xx high").resolvedAfter(ofMinutes(20)));
        // rare but long: 2 x 3,000 s (50 min) = 6,000
        times(2, Facts.incident().kind("database", "replica lag").resolvedAfter(ofMinutes(50)));
        // most frequent, but automation resolves nearly all: 10 x 300 s (5 min, the one people handled) = 3,000
        times(9, Facts.incident().kind("capacity", "orders throttled").resolvedAfter(ofMinutes(2))
                .playbook("dynamodb-throttling", ofSeconds(20), 1, 0, true));
        times(1, Facts.incident().kind("capacity", "orders throttled").resolvedAfter(ofMinutes(5))
                .playbook("dynamodb-throttling", ofSeconds(20), 1, 0, false));
        // fully automated: not a candidate
        times(4, Facts.incident().kind("compute", "lambda throttles").resolvedAfter(ofMinutes(1))
                .playbook("lambda", ofSeconds(5), 1, 0, true));

        List<Coverage.KindCoverage> candidates = Coverage.candidates(facts);

        assertThat(candidates).extracting(Coverage.KindCoverage::alertName)
                .containsExactly("5xx high", "replica lag", "orders throttled");
        assertThat(candidates).extracting(Coverage.KindCoverage::score).containsExactly(7200.0, 6000.0, 3000.0);
        assertThat(candidates.get(0).playbooks()).as("the top candidate has no playbook").isEmpty();
    }
}
