package dev.nightshift.workers.actions;

import dev.nightshift.schema.OutcomeStatus;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a step did: SUCCEEDED (done), WAITING (started; look again after {@code checkAfter}) or FAILED
 * (the outside world said no, or a check found it failed), with a one-line summary, the resource's
 * state before and after, the results later steps can read ({@code steps.<name>.<key>}), and, for a
 * change that can be taken back, how ({@code undo}, shown to people; null otherwise).
 */
public record ActionResult(OutcomeStatus status, String summary, Map<String, String> before, Map<String, String> after,
                           Map<String, String> results, Duration checkAfter, String undo) {
    public ActionResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(summary, "summary");
        if (status != OutcomeStatus.SUCCEEDED && status != OutcomeStatus.WAITING && status != OutcomeStatus.FAILED) {
            throw new IllegalArgumentException("an action answers SUCCEEDED, WAITING or FAILED, not " + status);
        }
        if (status == OutcomeStatus.WAITING && (checkAfter == null || checkAfter.isNegative())) {
            throw new IllegalArgumentException("a WAITING step says when to look again");
        }
        before = Map.copyOf(before);
        after = Map.copyOf(after);
        results = Map.copyOf(results);
    }

    public static ActionResult succeeded(String summary, Map<String, String> before, Map<String, String> after,
                                         Map<String, String> results, String undo) {
        return new ActionResult(OutcomeStatus.SUCCEEDED, summary, before, after, results, null, undo);
    }

    public static ActionResult read(String summary, Map<String, String> results) {
        return new ActionResult(OutcomeStatus.SUCCEEDED, summary, Map.of(), Map.of(), results, null, null);
    }

    public static ActionResult waiting(String summary, Map<String, String> results, Duration checkAfter) {
        return new ActionResult(OutcomeStatus.WAITING, summary, Map.of(), Map.of(), results, checkAfter, null);
    }

    public static ActionResult failed(String summary, Map<String, String> before, Map<String, String> results) {
        return new ActionResult(OutcomeStatus.FAILED, summary, before, Map.of(), results, null, null);
    }
}
