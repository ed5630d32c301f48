package dev.nightshift.triage.analytics;

import dev.nightshift.schema.IncidentHistory;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepStatus;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.triage.testing.Alerts;
import dev.nightshift.triage.testing.TriageDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An incident's timeline and post-mortem draft, read from the records the topology gathered. */
class IncidentTimelineTest {
    private static final Instant T0 = TriageDriver.T0;
    private final TriageDriver triage = new TriageDriver(LifecycleSettings.defaults(), ClassificationRules.none(), "unowned");
    private String id;

    private static Instant at(int minutes, int seconds) {
        return T0.plus(Duration.ofMinutes(minutes)).plusSeconds(seconds);
    }

    @BeforeEach
    void anIncidentWithAnEnrichmentAnApprovedStepAHandOverAndAStepThatDidNotRun() {
        triage.send(Alerts.firing("fp-orders", "orders throttled").setTeam("payments").setResource("dynamodb:table/orders").build(), T0);
        id = triage.incidents().get(0).value().getIncidentId();
        // records arrive out of their time order: the acknowledgement (10:05) before the steps (10:00:30 - 10:03)
        triage.response(Records.acknowledgement(id, "sam@example.com", at(5, 0)), at(5, 0));
        triage.outcome(Records.step(id, "r0", 0, "read metrics", "cloudwatch-read", OutcomeStatus.SUCCEEDED, at(0, 20), at(0, 30))
                .setResults(Records.map("throttledRequests", "412")).build(), at(0, 30));
        triage.outcome(Records.step(id, "r1", 1, "raise capacity", "dynamodb-scale", OutcomeStatus.AWAITING_APPROVAL, at(1, 0), at(1, 0))
                .build(), at(1, 0));
        triage.outcome(Records.step(id, "r1", 1, "raise capacity", "dynamodb-scale", OutcomeStatus.SUCCEEDED, at(2, 0), at(3, 0))
                .setPlan("raise write capacity of orders from 100 to 150").setApprovedBy(List.of("sam@example.com"))
                .setBefore(Records.map("writeCapacity", "100")).setAfter(Records.map("writeCapacity", "150")).build(), at(3, 0));
        triage.delivery(Records.page(id, "n-page", at(2, 30)));
        triage.outcome(Records.step(id, "r2", 2, "check the consumers", "manual", OutcomeStatus.HANDED_OVER, at(6, 0), at(6, 0))
                .setInstructions("look for a hot partition key in the orders consumers").build(), at(6, 0));
        triage.playbookRun(Records.run(id, RunStatus.CANCELLED, 5, at(0, 10), at(20, 0), List.of(
                Records.stepRun(0, "read metrics", "cloudwatch-read", false, StepStatus.SUCCEEDED),
                Records.stepRun(1, "raise capacity", "dynamodb-scale", false, StepStatus.SUCCEEDED),
                Records.stepRun(2, "check the consumers", "manual", true, StepStatus.HANDED_OVER),
                Records.stepRun(3, "restart consumers", "ecs-restart", false, StepStatus.CANCELLED))));
        triage.send(Alerts.resolved("fp-orders", "orders throttled").setTeam("payments").build(), at(20, 0));
        triage.advanceWallClock(Duration.ofMinutes(11));
    }

    @AfterEach
    void close() {
        triage.close();
    }

    private IncidentHistory history() {
        return triage.histories().get(id);
    }

    @Test
    void theTimelineListsEveryRecordInTimeOrder() {
        List<IncidentTimeline.Entry> timeline = IncidentTimeline.of(history());

        assertThat(timeline).extracting(IncidentTimeline.Entry::kind).containsExactly(
                "alert", "state", "enrichment", "step", "notification", "step", "state", "acknowledgement", "handover", "alert", "run");
        assertThat(timeline).extracting(IncidentTimeline.Entry::at).isSorted();
        assertThat(timeline.get(0).text()).startsWith("alert orders throttled fired: incident opened");
        assertThat(timeline.get(1).text()).isEqualTo("first automated step");
        assertThat(timeline.get(2).details()).containsEntry("results", Records.map("throttledRequests", "412"));
        IncidentTimeline.Entry raised = timeline.get(5);
        assertThat(raised.at()).isEqualTo(at(3, 0));
        assertThat(raised.details()).containsEntry("plan", "raise write capacity of orders from 100 to 150")
                .containsEntry("approvedBy", List.of("sam@example.com"))
                .containsEntry("before", Records.map("writeCapacity", "100")).containsEntry("after", Records.map("writeCapacity", "150"));
        assertThat(timeline.get(7).text()).isEqualTo("acknowledged by sam@example.com (slack)");
        assertThat(timeline.get(8).details()).containsEntry("instructions", "look for a hot partition key in the orders consumers");
        assertThat(timeline.get(9).text()).isEqualTo("alert orders throttled resolved: incident resolved");
        assertThat(timeline.get(10).text()).isEqualTo("playbook dynamodb-throttling run 1: CANCELLED");
    }

    @Test
    void thePostmortemDraftExplainsWhatTheAutomationDidAndWhatStayedManual() {
        String draft = PostmortemDraft.markdown(history());

        assertThat(draft).startsWith("# Post-mortem draft: orders throttled\n");
        assertThat(draft).contains("- Owner: team payments\n",
                "- Impact window: 2026-11-21T10:00:00Z to 2026-11-21T10:20:00Z (20 min)\n",
                "| 2026-11-21T10:03:00Z | step 2 raise capacity (dynamodb-scale): SUCCEEDED - raise capacity succeeded |\n",
                "### Step 2: raise capacity (dynamodb-scale) - SUCCEEDED\n",
                "- Plan: raise write capacity of orders from 100 to 150\n- Approved by: sam@example.com\n"
                        + "- Before: writeCapacity=100\n- After: writeCapacity=150\n",
                "- Results: throttledRequests=412\n",
                "- 2026-11-21T10:05:00Z: acknowledged by sam@example.com (slack)\n",
                "## What stayed manual\n\n- Step 3 check the consumers: look for a hot partition key in the orders consumers\n",
                "- MTTA: 5 min\n- MTTR: 20 min\n- Time to first automated step: 20 s\n",
                "## Playbook steps that did not run\n\n- dynamodb-throttling run 1, step 4 restart consumers (ecs-restart): CANCELLED\n");
        assertThat(draft).as("a step's waiting is in the timeline, not among what the automation did")
                .doesNotContain("- AWAITING_APPROVAL\n");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(PostmortemDraft.human(45_000)).isEqualTo("45 s");
        assertThat(PostmortemDraft.human(300_000)).isEqualTo("5 min");
        assertThat(PostmortemDraft.human(3_900_000)).isEqualTo("1 h 5 min");
        assertThat(PostmortemDraft.human(Duration.ofHours(51).toMillis())).isEqualTo("2 d 3 h");
    }
}
