package dev.nightshift.notifier.planner;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.GroupMember;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.Severity;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.nightshift.notifier.planner.PlannerDriver.T0;
import static dev.nightshift.notifier.planner.PlannerDriver.approval;
import static dev.nightshift.notifier.planner.PlannerDriver.incident;
import static dev.nightshift.notifier.planner.PlannerDriver.next;
import static dev.nightshift.notifier.planner.PlannerDriver.outcome;
import static dev.nightshift.notifier.planner.PlannerDriver.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** What the planner tells people about an incident's life, and where, with the real serdes. */
class PlannerTopologyTest {
    private static final String THREAD = "payments|database|#payments|" + T0.toEpochMilli();
    private final PlannerDriver planner = new PlannerDriver();

    @AfterEach
    void close() {
        planner.close();
    }

    @Test
    void anIncidentsWholeLifeIsOneThreadAndOneTicketInTheOrderItHappened() {
        Incident opened = incident("inc-1", T0).build();
        planner.incident(opened);
        RemediationOutcome step = outcome(opened, 0, OutcomeStatus.SUCCEEDED, T0.plusSeconds(5)).build();
        planner.outcome(step);
        planner.approval(approval(opened, ApprovalStatus.PENDING, T0.plusSeconds(6)).build());
        planner.approval(approval(opened, ApprovalStatus.APPROVED, T0.plusSeconds(60), vote("U0AAA1", true, T0.plusSeconds(60))).build());
        Incident resolved = next(opened, "resolved", IncidentState.RESOLVED, T0.plusSeconds(120));
        planner.incident(resolved);
        Incident reopened = next(resolved, "reopened", IncidentState.OPEN, T0.plusSeconds(180));
        planner.incident(reopened);

        String approvalReply = "inc-1:approval:inc-1:dynamodb-throttling:1:1";
        assertThat(planner.notifications()).extracting(Notification::getKind, Notification::getNotificationId, Notification::getEvent)
                .containsExactly(
                        tuple(NotificationKind.THREAD, "thread:" + THREAD, "opened"),
                        tuple(NotificationKind.TICKET, "ticket:inc-1", "opened"),
                        tuple(NotificationKind.REPLY, "inc-1:step:inc-1:dynamodb-throttling:1:0:run:SUCCEEDED", "step"),
                        tuple(NotificationKind.TICKET_COMMENT, "inc-1:comment:step:inc-1:dynamodb-throttling:1:0:run:SUCCEEDED", "step"),
                        tuple(NotificationKind.REPLY, approvalReply, "approval"),
                        tuple(NotificationKind.REPLY_UPDATE, approvalReply + ":u:1", "decision"),
                        tuple(NotificationKind.TICKET_COMMENT, "inc-1:comment:approval:inc-1:dynamodb-throttling:1:1", "decision"),
                        tuple(NotificationKind.THREAD_UPDATE, "thread:" + THREAD + ":u:inc-1:2", "resolved"),
                        tuple(NotificationKind.REPLY, "inc-1:state:2", "resolved"),
                        tuple(NotificationKind.TICKET_TRANSITION, "inc-1:transition:2", "resolved"),
                        tuple(NotificationKind.THREAD_UPDATE, "thread:" + THREAD + ":u:inc-1:3", "reopened"),
                        tuple(NotificationKind.REPLY, "inc-1:state:3", "reopened"),
                        tuple(NotificationKind.TICKET_TRANSITION, "inc-1:transition:3", "reopened"));
        assertThat(planner.records()).as("one thread: one key, one partition, in order").extracting(TestRecord::key).containsOnly(THREAD);
        List<Notification> all = planner.notifications();
        assertThat(all).allSatisfy(n -> {
            assertThat(n.getThreadKey()).isEqualTo(THREAD);
            assertThat(n.getIncidentId()).isEqualTo("inc-1");
            assertThat(n.getTeam()).isEqualTo("payments");
            assertThat(n.getSlackChannel()).isEqualTo("#payments");
        });
        assertThat(all.get(0).getMembers()).extracting(GroupMember::getIncidentId).containsExactly("inc-1");
        assertThat(all.get(1).getTicketProject()).isEqualTo("PAY");
        assertThat(all.get(1).getTarget()).isEqualTo(NotificationTarget.TICKET);
        assertThat(all.get(2).getOutcome()).isEqualTo(step);
        assertThat(all.get(5).getUpdates()).isEqualTo(approvalReply);
        assertThat(all.get(5).getApproval().getVotes()).extracting(v -> v.getBy()).containsExactly("U0AAA1");
        assertThat(all.get(7).getMembers()).singleElement().satisfies(m -> assertThat(m.getState()).isEqualTo(IncidentState.RESOLVED));
        assertThat(all.get(9).getTransition()).isEqualTo("resolve");
        assertThat(all.get(12).getTransition()).isEqualTo("reopen");
        assertThat(all.get(11).getIncident()).as("each carries the incident as of its event").isEqualTo(reopened);
    }

    @Test
    void repeatsUpdateTheParentOnlyAndVotesUpdateTheApprovalReplyUntilItIsDecided() {
        Incident opened = incident("inc-1", T0).build();
        planner.incident(opened);
        planner.approval(approval(opened, ApprovalStatus.PENDING, T0).build());
        planner.mark();

        Incident repeated = next(opened, "repeated", IncidentState.OPEN, T0.plusSeconds(10));
        planner.incident(repeated);
        planner.approval(approval(opened, ApprovalStatus.PENDING, T0).setRequiredApprovals(2)
                .setVotes(List.of(vote("U0AAA1", true, T0.plusSeconds(20)))).build());
        planner.approval(approval(opened, ApprovalStatus.PENDING, T0).setRequiredApprovals(2)
                .setVotes(List.of(vote("U0AAA1", true, T0.plusSeconds(20)))).build());
        planner.approval(approval(opened, ApprovalStatus.REJECTED, T0.plusSeconds(30), vote("U0AAA1", true, T0.plusSeconds(20)),
                vote("U0BBB2", false, T0.plusSeconds(30))).build());

        assertThat(planner.sinceMark()).extracting(Notification::getKind, Notification::getNotificationId).containsExactly(
                tuple(NotificationKind.THREAD_UPDATE, "thread:" + THREAD + ":u:inc-1:2"),
                tuple(NotificationKind.REPLY_UPDATE, "inc-1:approval:inc-1:dynamodb-throttling:1:1:u:1"),
                tuple(NotificationKind.REPLY_UPDATE, "inc-1:approval:inc-1:dynamodb-throttling:1:1:u:2"),
                tuple(NotificationKind.TICKET_COMMENT, "inc-1:comment:approval:inc-1:dynamodb-throttling:1:1"));
        assertThat(planner.sinceMark().get(0).getIncident().getOccurrences()).isEqualTo(2);
    }

    @Test
    void stepsAreRepliesAndCommentsHandOversAndOpenCircuitsSaySoAndAStepStillWaitingIsNot() {
        Incident opened = incident("inc-1", T0).build();
        planner.incident(opened);
        planner.mark();

        planner.outcome(outcome(opened, 0, OutcomeStatus.WAITING, T0.plusSeconds(1)).build());
        planner.outcome(outcome(opened, 0, OutcomeStatus.FAILED, T0.plusSeconds(2)).setError("throttled").build());
        planner.outcome(outcome(opened, 1, OutcomeStatus.REFUSED, T0.plusSeconds(3)).setGuardrail("circuit-breaker").build());
        planner.outcome(outcome(opened, 2, OutcomeStatus.HANDED_OVER, T0.plusSeconds(4)).setInstructions("look at the table").build());

        assertThat(planner.sinceMark()).extracting(Notification::getKind, Notification::getEvent, n -> n.getOutcome().getStatus())
                .containsExactly(
                        tuple(NotificationKind.REPLY, "step", OutcomeStatus.FAILED),
                        tuple(NotificationKind.TICKET_COMMENT, "step", OutcomeStatus.FAILED),
                        tuple(NotificationKind.REPLY, "circuit-open", OutcomeStatus.REFUSED),
                        tuple(NotificationKind.TICKET_COMMENT, "circuit-open", OutcomeStatus.REFUSED),
                        tuple(NotificationKind.REPLY, "handover", OutcomeStatus.HANDED_OVER),
                        tuple(NotificationKind.TICKET_COMMENT, "handover", OutcomeStatus.HANDED_OVER));
    }

    @Test
    void aStepThatComesBeforeItsIncidentIsToldAfterTheIncidentsThread() {
        Incident opened = incident("inc-1", T0).build();
        planner.outcome(outcome(opened, 0, OutcomeStatus.SUCCEEDED, T0).build());
        assertThat(planner.notifications()).isEmpty();

        planner.incident(opened);

        assertThat(planner.notifications()).extracting(Notification::getKind)
                .containsExactly(NotificationKind.THREAD, NotificationKind.TICKET, NotificationKind.REPLY, NotificationKind.TICKET_COMMENT);
    }

    @Test
    void theSameInputGivesTheSameIdsAndARecordReadAgainGivesNoNewOne() {
        List<String> first = script(planner);
        List<String> second;
        try (PlannerDriver other = new PlannerDriver()) {
            second = script(other);
        }
        assertThat(second).isEqualTo(first);
        assertThat(first).doesNotHaveDuplicates();

        Incident opened = incident("inc-1", T0).build();
        planner.incident(opened);
        planner.outcome(outcome(opened, 0, OutcomeStatus.SUCCEEDED, T0.plusSeconds(5)).build());
        planner.approval(approval(opened, ApprovalStatus.PENDING, T0.plusSeconds(6)).build());

        assertThat(planner.ids().subList(first.size(), planner.ids().size())).as("read again").isSubsetOf(first);
        assertThat(planner.ids().subList(first.size(), planner.ids().size())).as("an incident version seen before tells nothing")
                .noneMatch(id -> id.startsWith("thread:") || id.startsWith("ticket:"));
    }

    private static List<String> script(PlannerDriver driver) {
        Incident opened = incident("inc-1", T0).build();
        driver.incident(opened);
        driver.incident(incident("inc-2", T0.plusSeconds(3)).build());
        driver.outcome(outcome(opened, 0, OutcomeStatus.SUCCEEDED, T0.plusSeconds(5)).build());
        driver.approval(approval(opened, ApprovalStatus.PENDING, T0.plusSeconds(6)).build());
        driver.approval(approval(opened, ApprovalStatus.APPROVED, T0.plusSeconds(9), vote("U0AAA1", true, T0.plusSeconds(9))).build());
        driver.incident(next(opened, "resolved", IncidentState.RESOLVED, T0.plusSeconds(60)));
        return driver.ids();
    }

    @Test
    void aRunThatEscalatesPagesTheTeamOnceSaysSoAndItsResolveResolvesThePage() {
        Incident opened = incident("inc-1", T0).build();
        planner.incident(opened);
        planner.mark();

        planner.run(PlannerDriver.run(opened, RunStatus.RUNNING, 2, T0.plusSeconds(1)).build());
        planner.run(PlannerDriver.run(opened, RunStatus.ESCALATED, 3, T0.plusSeconds(2)).build());
        planner.run(PlannerDriver.run(opened, RunStatus.ESCALATED, 4, T0.plusSeconds(3)).build());

        List<Notification> told = planner.sinceMark();
        assertThat(told).extracting(Notification::getKind, Notification::getNotificationId).containsExactly(
                tuple(NotificationKind.THREAD_UPDATE, "thread:" + THREAD + ":u:inc-1:r1.2"),
                tuple(NotificationKind.THREAD_UPDATE, "thread:" + THREAD + ":u:inc-1:r1.3"),
                tuple(NotificationKind.PAGE_TRIGGER, "page:inc-1:1"),
                tuple(NotificationKind.REPLY, "inc-1:escalated:run-1"));
        assertThat(told.get(2).getTarget()).isEqualTo(NotificationTarget.PAGER);
        assertThat(told.get(2).getText()).contains("escalated").contains("step 'scale' failed");
        assertThat(told.get(3).getText()).startsWith("Paged the on-call of payments").contains("step 'scale' failed");

        planner.mark();
        planner.incident(next(opened, "resolved", IncidentState.RESOLVED, T0.plusSeconds(600)));
        assertThat(planner.sinceMark()).extracting(Notification::getKind, Notification::getNotificationId).contains(
                tuple(NotificationKind.PAGE_RESOLVE, "page-resolve:inc-1"));
    }

    @Test
    void aTeamWithoutAPagerIsToldInTheThreadThatNobodyWasPaged() {
        try (PlannerDriver noPager = new PlannerDriver(PlannerDriver.POLICY, java.util.Set.of())) {
            Incident opened = incident("inc-1", T0).build();
            noPager.incident(opened);
            noPager.run(PlannerDriver.run(opened, RunStatus.ESCALATED, 2, T0.plusSeconds(2)).build());
            noPager.incident(next(opened, "resolved", IncidentState.RESOLVED, T0.plusSeconds(60)));

            assertThat(noPager.of(NotificationKind.PAGE_TRIGGER)).isEmpty();
            assertThat(noPager.of(NotificationKind.PAGE_RESOLVE)).isEmpty();
            assertThat(noPager.of(NotificationKind.REPLY)).filteredOn(n -> n.getEvent().equals("escalated")).singleElement()
                    .satisfies(n -> assertThat(n.getText()).contains("nobody was paged").contains("payments"));
        }
    }

    @Test
    void anIncidentNobodyAcknowledgesInTimePagesOnce() {
        planner.incident(incident("inc-1", T0).build());
        planner.advance(Duration.ofMinutes(14));
        assertThat(planner.of(NotificationKind.PAGE_TRIGGER)).isEmpty();

        planner.advance(Duration.ofMinutes(2));
        planner.advance(Duration.ofMinutes(30));

        assertThat(planner.of(NotificationKind.PAGE_TRIGGER)).singleElement().satisfies(page -> {
            assertThat(page.getNotificationId()).isEqualTo("page:inc-1:1");
            assertThat(page.getText()).contains("not acknowledged within PT15M");
        });
        assertThat(planner.of(NotificationKind.REPLY)).extracting(Notification::getNotificationId).containsExactly("inc-1:escalated:unacknowledged-0");
    }

    @Test
    void anIncidentAcknowledgedInTimePagesNobodyAndItsResolveResolvesNoPage() {
        Incident opened = incident("inc-1", T0).build();
        planner.incident(opened);
        planner.advance(Duration.ofMinutes(5));
        Incident acknowledged = next(opened, "acknowledged", IncidentState.ACKNOWLEDGED, T0.plus(Duration.ofMinutes(5)));
        planner.incident(acknowledged);
        planner.advance(Duration.ofMinutes(30));
        planner.incident(next(acknowledged, "resolved", IncidentState.RESOLVED, T0.plus(Duration.ofMinutes(40))));

        assertThat(planner.of(NotificationKind.PAGE_TRIGGER)).isEmpty();
        assertThat(planner.of(NotificationKind.PAGE_RESOLVE)).isEmpty();
        assertThat(planner.of(NotificationKind.REPLY)).extracting(Notification::getEvent).containsExactly("acknowledged", "resolved");
    }

    @Test
    void aTeamsOwnAcknowledgementTimeAndThePagingSeverityDecideWhoIsPaged() {
        planner.owns(PlannerDriver.ownership("orders", "payments").setAcknowledgeWithin("PT5M").build());
        planner.incident(incident("inc-1", T0).build());
        planner.incident(incident("inc-2", T0).setSeverity(Severity.MEDIUM).build());
        planner.incident(incident("inc-3", T0).setSeverity(Severity.CRITICAL).build());

        planner.advance(Duration.ofMinutes(6));

        assertThat(planner.of(NotificationKind.PAGE_TRIGGER)).extracting(Notification::getIncidentId).containsExactlyInAnyOrder("inc-1", "inc-3");
    }

    @Test
    void garbageOnAnInputTopicGoesToItsDeadLetterTopicAndPlanningGoesOn() {
        byte[] garbage = "not an incident".getBytes(StandardCharsets.UTF_8);
        String incidents = planner.topics().names().incidents();
        planner.bytes(incidents, "inc-bad".getBytes(StandardCharsets.UTF_8), garbage);
        planner.bytes(planner.topics().names().approvalRequests(), "a-1".getBytes(StandardCharsets.UTF_8), garbage);
        planner.incident(incident("inc-1", T0).build());

        assertThat(planner.deadLetters(incidents)).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo(garbage);
            assertThat(DeadLetters.header(r.headers(), DeadLetters.TOPIC)).isEqualTo(incidents);
        });
        assertThat(planner.deadLetters(planner.topics().names().approvalRequests())).hasSize(1);
        assertThat(planner.of(NotificationKind.THREAD)).hasSize(1);
    }
}
