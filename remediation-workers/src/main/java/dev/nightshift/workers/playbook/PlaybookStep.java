package dev.nightshift.workers.playbook;

import java.time.Duration;
import java.util.Map;

/**
 * One step of a playbook: an action with templated parameters, or a manual hand-over with
 * instructions; an optional condition on earlier results; who must approve it; how long it may take;
 * and what its failure does.
 *
 * @param action null for a manual step
 */
public record PlaybookStep(int index, String name, String action, boolean manual, Template instructions,
                           Map<String, Template> parameters, Condition when, ApprovalPolicy approval, Duration timeout,
                           FailurePolicy onFailure) {
    public PlaybookStep {
        parameters = Map.copyOf(parameters);
    }

    /** The step's parameters rendered for a run. */
    public Map<String, String> render(Variables variables) {
        Map<String, String> rendered = new java.util.LinkedHashMap<>();
        parameters.forEach((key, template) -> rendered.put(key, template.render(variables)));
        return rendered;
    }
}
