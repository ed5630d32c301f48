package dev.nightshift.triage.classify;

import dev.nightshift.schema.Severity;

/**
 * What the rules say about an alert: the rule that matched (null when none did), its category,
 * the severity to use and the playbook to run (null for none).
 */
public record Classification(String rule, String category, Severity severity, String playbook) {
    public static final String UNCLASSIFIED = "unclassified";
}
