package dev.nightshift.notifier.delivery;

import dev.nightshift.schema.Notification;

/** One way of reaching people (Slack, a ticket tracker, a pager): plans what a notification of its target takes. */
public interface Target {
    /**
     * Plans the notification's delivery, calling nothing that changes anything (a read, such as a channel's id, may be
     * made). Throws {@link DeliveryException} when it cannot be planned now (retryable) or at all (permanent).
     *
     * @param ledger what this notification's thread has made so far: its parent message, its replies, its tickets
     */
    Action plan(Notification notification, LedgerView ledger);
}
