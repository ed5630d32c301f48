package dev.nightshift.notifier.delivery;

import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;

import java.util.EnumSet;
import java.util.Set;

/**
 * Sends each notification to the target it names (Slack, the ticket tracker, the pager) and checks that its kind is one
 * of that target's: a THREAD for the pager, or an unknown target or kind, is an invalid notification (permanent).
 */
public final class Deliverer {
    private static final Set<NotificationKind> SLACK = EnumSet.of(NotificationKind.THREAD, NotificationKind.THREAD_UPDATE,
            NotificationKind.REPLY, NotificationKind.REPLY_UPDATE, NotificationKind.INCIDENT_CHANNEL);
    private static final Set<NotificationKind> TICKET = EnumSet.of(NotificationKind.TICKET, NotificationKind.TICKET_COMMENT,
            NotificationKind.TICKET_TRANSITION);
    private static final Set<NotificationKind> PAGER = EnumSet.of(NotificationKind.PAGE_TRIGGER, NotificationKind.PAGE_RESOLVE);

    private final Target slack;
    private final Target tickets;
    private final Target pager;

    public Deliverer(Target slack, Target tickets, Target pager) {
        this.slack = slack;
        this.tickets = tickets;
        this.pager = pager;
    }

    public Action plan(Notification notification, LedgerView ledger) {
        NotificationTarget target = notification.getTarget();
        NotificationKind kind = notification.getKind();
        Target to = switch (target) {
            case SLACK -> SLACK.contains(kind) ? slack : null;
            case TICKET -> TICKET.contains(kind) ? tickets : null;
            case PAGER -> PAGER.contains(kind) ? pager : null;
            default -> null;
        };
        if (to == null) {
            throw new InvalidNotification("a " + kind + " notification cannot go to " + target);
        }
        return to.plan(notification, ledger);
    }
}
