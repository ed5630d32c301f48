package dev.nightshift.notifier.delivery;

import dev.nightshift.notifier.Records;
import dev.nightshift.notifier.slack.LoggingSlackDelivery;
import dev.nightshift.notifier.slack.SlackMessages;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static dev.nightshift.notifier.Records.incident;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Which target each notification goes to, and what tickets and pages take, with a tracker and a pager that record their calls. */
class DelivererTest {
    private static final LedgerView NOTHING = id -> Optional.empty();
    private final RecordingTracker tracker = new RecordingTracker();
    private final RecordingPager pager = new RecordingPager("payments");
    private final Deliverer deliverer = new Deliverer(new LoggingSlackDelivery(new SlackMessages()), new TicketDelivery(tracker), new PagerDelivery(pager));
    private final Deliverer unconfigured = new Deliverer(new LoggingSlackDelivery(new SlackMessages()), new TicketDelivery(null), new PagerDelivery(null));

    private static Notification notification(String id, NotificationTarget target, NotificationKind kind) {
        return Records.notification(id, "k1", target, kind, "opened", incident("inc-1", "opened", IncidentState.OPEN, 1)).setTransition("resolve").build();
    }

    @Test
    void aTicketIsLookedForBeforeItIsMadeAndItsKeyIsItsRef() {
        Action action = deliverer.plan(notification("ticket:inc-1", NotificationTarget.TICKET, NotificationKind.TICKET), NOTHING);

        assertThat(action).isInstanceOfSatisfying(Action.Create.class, create -> {
            assertThat(create.lookFirst()).isTrue();
            assertThat(create.destination()).isEqualTo("PAY");
            assertThat(create.find().find(Records.T0)).isEmpty();
            assertThat(create.make().call()).isEqualTo("PAY-1");
            assertThat(create.find().find(Records.T0)).contains("PAY-1");
        });
        assertThat(tracker.calls()).containsExactly("find PAY inc-1", "create PAY inc-1 -> PAY-1", "find PAY inc-1");
    }

    @Test
    void aCommentGoesOnTheTicketTheLedgerHasAndIsFoundByItsMarker() {
        LedgerView ledger = id -> id.equals("ticket:inc-1") ? Optional.of(new LedgerView.Made("PAY", "PAY-9")) : Optional.empty();

        Action action = deliverer.plan(notification("inc-1:comment:r1", NotificationTarget.TICKET, NotificationKind.TICKET_COMMENT), ledger);

        assertThat(action).isInstanceOfSatisfying(Action.Create.class, create -> {
            assertThat(create.lookFirst()).isFalse();
            assertThat(create.make().call()).isEqualTo("c1");
            assertThat(create.find().find(Records.T0)).contains("c1");
        });
        assertThat(tracker.calls()).containsExactly("comment PAY-9 inc-1:comment:r1 -> c1", "findComment PAY-9 inc-1:comment:r1");
    }

    @Test
    void aTransitionIsAnEditOfTheIncidentsTicket() {
        tracker.holding("PAY", "inc-1", "PAY-3");

        Action action = deliverer.plan(notification("inc-1:transition:4", NotificationTarget.TICKET, NotificationKind.TICKET_TRANSITION), NOTHING);

        assertThat(action).isInstanceOfSatisfying(Action.Edit.class, edit -> assertThat(edit.call().call()).isEqualTo("PAY-3"));
        assertThat(tracker.calls()).containsExactly("find PAY inc-1", "transition PAY-3 resolve");
    }

    @Test
    void aCommentOrTransitionWithoutATicketIsSkipped() {
        assertThat(deliverer.plan(notification("inc-1:comment:r1", NotificationTarget.TICKET, NotificationKind.TICKET_COMMENT), NOTHING))
                .isEqualTo(new Action.Skip("PAY", "the incident has no ticket"));
    }

    @Test
    void pagesAreIdempotentEditsForTeamsThePagerPages() {
        Action trigger = deliverer.plan(notification("page:inc-1:1", NotificationTarget.PAGER, NotificationKind.PAGE_TRIGGER), NOTHING);
        Action resolve = deliverer.plan(notification("page-resolve:inc-1", NotificationTarget.PAGER, NotificationKind.PAGE_RESOLVE), NOTHING);
        Notification otherTeam = Records.notification("page:inc-2:1", "k2", NotificationTarget.PAGER, NotificationKind.PAGE_TRIGGER, "escalated",
                incident("inc-2", "opened", IncidentState.OPEN, 1)).setTeam("search").build();

        assertThat(trigger).isInstanceOfSatisfying(Action.Edit.class, edit -> assertThat(edit.call().call()).isEqualTo("inc-1"));
        assertThat(resolve).isInstanceOfSatisfying(Action.Edit.class, edit -> edit.call().call());
        assertThat(pager.calls()).containsExactly("trigger payments inc-1", "resolve payments inc-1");
        assertThat(deliverer.plan(otherTeam, NOTHING)).isEqualTo(new Action.Skip("pager", "team search has no on-call to page (no routing key)"));
    }

    @Test
    void withoutATrackerOrAPagerTheirNotificationsAreSkippedSayingWhy() {
        assertThat(unconfigured.plan(notification("ticket:inc-1", NotificationTarget.TICKET, NotificationKind.TICKET), NOTHING))
                .isEqualTo(new Action.Skip("PAY", "no ticket tracker is configured (JIRA_URL)"));
        assertThat(unconfigured.plan(notification("page:inc-1:1", NotificationTarget.PAGER, NotificationKind.PAGE_TRIGGER), NOTHING))
                .isEqualTo(new Action.Skip("pager", "no pager is configured"));
    }

    @Test
    void aKindItsTargetDoesNotHaveIsInvalid() {
        for (Map.Entry<NotificationTarget, NotificationKind> wrong : Map.of(NotificationTarget.PAGER, NotificationKind.THREAD,
                NotificationTarget.SLACK, NotificationKind.TICKET, NotificationTarget.TICKET, NotificationKind.PAGE_TRIGGER,
                NotificationTarget.UNKNOWN, NotificationKind.REPLY).entrySet()) {
            InvalidNotification invalid = catchThrowableOfType(InvalidNotification.class,
                    () -> deliverer.plan(notification("x", wrong.getKey(), wrong.getValue()), NOTHING));
            assertThat(invalid).hasMessage("a " + wrong.getValue() + " notification cannot go to " + wrong.getKey());
            assertThat(DeliveryFailures.retryable(invalid)).isFalse();
        }
    }
}
