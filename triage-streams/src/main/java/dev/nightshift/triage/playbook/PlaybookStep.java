package dev.nightshift.triage.playbook;

import java.util.Map;

/**
 * One step of a playbook: a reusable action, its parameters and the guardrail hints the worker
 * applies on top of its own (they travel as {@code guardrail.<name>} request parameters).
 */
public record PlaybookStep(String action, Map<String, String> parameters, Map<String, String> guardrails) {
    public PlaybookStep {
        parameters = Map.copyOf(parameters);
        guardrails = Map.copyOf(guardrails);
    }
}
