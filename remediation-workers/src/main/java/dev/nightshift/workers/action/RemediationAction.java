package dev.nightshift.workers.action;

import java.util.Map;

/**
 * One reusable remediation action. An action can say what it would do without changing anything
 * ({@link #plan}), and do it ({@link #execute}), reporting the state before and after.
 */
public interface RemediationAction {
    /** The name playbooks use, and the suffix of its topic {@code actions.<name>}. */
    String name();

    /** What {@link #execute} would change, in one line, from the step alone (no outside calls). */
    String plan(Step step);

    /** Makes the change. Throws when it could not; the message must carry no secret. */
    Change execute(Step step) throws Exception;

    /** What an executed action changed. */
    record Change(String summary, Map<String, String> before, Map<String, String> after) {
    }
}
