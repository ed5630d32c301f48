package dev.nightshift.notifier.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What delivering one notification takes, as a {@link Target} plans it before anything is called: something made anew
 * (a message, a ticket, a comment, a channel), which is made at most once and looked for after a crash; an edit or an
 * idempotent request (a message updated, a ticket moved, a page), which is simply done again; or nothing, with why.
 */
public sealed interface Action permits Action.Create, Action.Edit, Action.Skip {
    /** Where it goes: a Slack channel id, a ticket project or key, {@code pagerduty}, {@code webhook}, {@code log}. */
    String destination();

    /**
     * Makes something new. Recorded STARTED on the ledger before {@code make} is called; a STARTED without FINISHED
     * (the notifier stopped after the call, or the call's result is unknown) is looked for with {@code find} before it
     * is made again.
     *
     * @param find      what a delivery cut short made (its ref), looked for from shortly before it started; null when the
     *                  destination cannot be searched (an incoming webhook): such a delivery is then not made again
     * @param lookFirst look before every first try too (a ticket, which a tracker may hold already), not only after a crash
     */
    record Create(String destination, Pace pace, Call make, Lookup find, boolean lookFirst) implements Action {
    }

    /** Changes what exists, or asks for something the destination makes idempotent (a page's dedup key): done again after a crash. */
    record Edit(String destination, Pace pace, Call call) implements Action {
    }

    /** Nothing to call: the reason goes on the Delivery record (SKIPPED). */
    record Skip(String destination, String reason) implements Action {
    }

    /** The call; returns what it made or changed (a message ts, a ticket key), or null. Throws {@link DeliveryException}. */
    @FunctionalInterface
    interface Call {
        String call();
    }

    /** Looks for what a delivery started at {@code startedAt} made; its ref when found. Throws {@link DeliveryException}. */
    @FunctionalInterface
    interface Lookup {
        Optional<String> find(Instant startedAt);
    }

    /**
     * The destination's pace: {@link Duration#ZERO} when the call may go now (its slot is taken), else how long until it may.
     * Waiting for a slot is not a failure: it does not count against the retry budget.
     */
    @FunctionalInterface
    interface Pace {
        Duration take();
    }

    /** No pace to keep. */
    Pace NOW = () -> Duration.ZERO;
}
