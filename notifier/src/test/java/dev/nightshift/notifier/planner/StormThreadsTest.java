package dev.nightshift.notifier.planner;

import dev.nightshift.schema.GroupMember;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.OutcomeStatus;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nightshift.notifier.planner.PlannerDriver.T0;
import static dev.nightshift.notifier.planner.PlannerDriver.incident;
import static dev.nightshift.notifier.planner.PlannerDriver.next;
import static dev.nightshift.notifier.planner.PlannerDriver.outcome;
import static dev.nightshift.notifier.planner.PlannerDriver.owner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Calm in a storm: one thread per team, category, channel and group window. */
class StormThreadsTest {
    private static final String GROUP = "payments|database|#payments|" + T0.toEpochMilli();
    private final PlannerDriver planner = new PlannerDriver();

    @AfterEach
    void close() {
        planner.close();
    }

    @Test
    void theFirstIsPostedAtOnceThoseWithinTheWindowJoinOneParentAndOneAfterItOpensANewGroup() {
        planner.incident(incident("inc-1", T0).build());
        assertThat(planner.of(NotificationKind.THREAD)).singleElement().satisfies(thread -> {
            assertThat(thread.getThreadKey()).isEqualTo(GROUP);
            assertThat(thread.getMembers()).extracting(GroupMember::getIncidentId).containsExactly("inc-1");
        });

        planner.incident(incident("inc-2", T0.plusSeconds(10)).build());
        planner.incident(incident("inc-3", T0.plusSeconds(29)).build());
        planner.incident(incident("inc-4", T0.plusSeconds(40)).build());

        List<Notification> parents = planner.notifications().stream()
                .filter(n -> n.getKind() == NotificationKind.THREAD || n.getKind() == NotificationKind.THREAD_UPDATE).toList();
        assertThat(parents).extracting(Notification::getKind, Notification::getNotificationId, Notification::getEvent).containsExactly(
                tuple(NotificationKind.THREAD, "thread:" + GROUP, "opened"),
                tuple(NotificationKind.THREAD_UPDATE, "thread:" + GROUP + ":u:inc-2:m2", "grouped"),
                tuple(NotificationKind.THREAD_UPDATE, "thread:" + GROUP + ":u:inc-3:m3", "grouped"),
                tuple(NotificationKind.THREAD, "thread:payments|database|#payments|" + T0.plusSeconds(40).toEpochMilli(), "opened"));
        assertThat(parents.get(2).getMembers()).extracting(GroupMember::getIncidentId, GroupMember::getTitle).containsExactly(
                tuple("inc-1", "Throttled reads on inc-1"), tuple("inc-2", "Throttled reads on inc-2"), tuple("inc-3", "Throttled reads on inc-3"));
        assertThat(parents.get(2).getText()).contains("3 incidents of payments (database)");
        assertThat(parents.get(3).getMembers()).extracting(GroupMember::getIncidentId).containsExactly("inc-4");
        assertThat(planner.of(NotificationKind.TICKET)).as("every incident still gets its own ticket").hasSize(4)
                .extracting(Notification::getThreadKey).containsExactly(GROUP, GROUP, GROUP, parents.get(3).getThreadKey());
    }

    @Test
    void aGroupedIncidentsLaterEventsAreRepliesInTheGroupsThreadAndItsChangesUpdateTheList() {
        Incident first = incident("inc-1", T0).build();
        Incident second = incident("inc-2", T0.plusSeconds(5)).build();
        planner.incident(first);
        planner.incident(second);
        planner.mark();

        planner.outcome(outcome(second, 0, OutcomeStatus.SUCCEEDED, T0.plusSeconds(20)).build());
        planner.incident(next(second, "resolved", IncidentState.RESOLVED, T0.plusSeconds(60)));

        assertThat(planner.sinceMark()).allSatisfy(n -> {
            assertThat(n.getThreadKey()).isEqualTo(GROUP);
            assertThat(n.getIncidentId()).as("each names its incident").isEqualTo("inc-2");
        });
        Notification update = planner.sinceMark().stream().filter(n -> n.getKind() == NotificationKind.THREAD_UPDATE).findFirst().orElseThrow();
        assertThat(update.getMembers()).extracting(GroupMember::getIncidentId, GroupMember::getState)
                .containsExactly(tuple("inc-1", IncidentState.OPEN), tuple("inc-2", IncidentState.RESOLVED));
        assertThat(planner.records().stream().map(TestRecord::key).distinct()).containsExactly(GROUP);
    }

    @Test
    void incidentsOfAnotherTeamCategoryOrChannelNeverShareAThread() {
        planner.incident(incident("inc-1", T0).build());
        planner.incident(incident("inc-2", T0.plusSeconds(1)).setCategory("network").build());
        planner.incident(incident("inc-3", T0.plusSeconds(2)).setOwner(owner("search", "orders", "#payments", "PAY")).build());
        planner.incident(incident("inc-4", T0.plusSeconds(3)).setOwner(owner("payments", "orders", "#payments-eu", "PAY")).build());
        planner.incident(incident("inc-5", T0.plusSeconds(4)).setCategory("unclassified").setOwner(owner("payments", "ledger", null, null)).build());

        assertThat(planner.of(NotificationKind.THREAD)).extracting(Notification::getThreadKey, Notification::getSlackChannel).containsExactly(
                tuple(GROUP, "#payments"),
                tuple("payments|network|#payments|" + T0.plusSeconds(1).toEpochMilli(), "#payments"),
                tuple("search|database|#payments|" + T0.plusSeconds(2).toEpochMilli(), "#payments"),
                tuple("payments|database|#payments-eu|" + T0.plusSeconds(3).toEpochMilli(), "#payments-eu"),
                tuple("payments|none|#ops|" + T0.plusSeconds(4).toEpochMilli(), "#ops"));
        assertThat(planner.of(NotificationKind.THREAD_UPDATE)).isEmpty();
    }

    @Test
    void aSingleIncidentsParentFollowsItsPlaybookButAGroupsParentDoesNot() {
        Incident alone = incident("inc-1", T0).build();
        planner.incident(alone);
        planner.run(PlannerDriver.run(alone, dev.nightshift.schema.RunStatus.RUNNING, 2, T0.plusSeconds(1)).build());
        planner.run(PlannerDriver.run(alone, dev.nightshift.schema.RunStatus.RUNNING, 3, T0.plusSeconds(1)).build());
        assertThat(planner.of(NotificationKind.THREAD_UPDATE)).as("a run version that moved nothing on is not news").singleElement()
                .satisfies(n -> assertThat(n.getRun().getCurrentStep()).isEqualTo(1));

        planner.incident(incident("inc-2", T0.plusSeconds(3)).build());
        planner.run(PlannerDriver.run(alone, dev.nightshift.schema.RunStatus.AWAITING_APPROVAL, 4, T0.plusSeconds(4)).build());
        assertThat(planner.of(NotificationKind.THREAD_UPDATE)).extracting(Notification::getEvent).containsExactly("run", "grouped");
    }
}
