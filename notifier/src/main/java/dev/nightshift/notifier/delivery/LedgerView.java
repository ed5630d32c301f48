package dev.nightshift.notifier.delivery;

import java.util.Optional;

/** What the ledger says was made for a thread's notifications (the entries of the thread's outbox partition). */
public interface LedgerView {
    /** What the notification made, once its delivery FINISHED: where and its ref (message ts, ticket key, channel id). */
    Optional<Made> made(String notificationId);

    /** Something a delivery made: where (a channel id, a project) and its ref. */
    record Made(String destination, String ref) {
    }
}
