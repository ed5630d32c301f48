package dev.nightshift.ingest.normalize;

import dev.nightshift.schema.Severity;

import java.util.Locale;
import java.util.Map;

/** Reads the severity words senders use (critical, P1, sev2, warning, ...) into {@link Severity}. */
public final class Severities {
    private static final Map<String, Severity> WORDS = Map.ofEntries(
            Map.entry("critical", Severity.CRITICAL), Map.entry("crit", Severity.CRITICAL),
            Map.entry("fatal", Severity.CRITICAL), Map.entry("emergency", Severity.CRITICAL),
            Map.entry("page", Severity.CRITICAL), Map.entry("p1", Severity.CRITICAL), Map.entry("sev1", Severity.CRITICAL),
            Map.entry("high", Severity.HIGH), Map.entry("error", Severity.HIGH), Map.entry("major", Severity.HIGH),
            Map.entry("p2", Severity.HIGH), Map.entry("sev2", Severity.HIGH),
            Map.entry("medium", Severity.MEDIUM), Map.entry("warning", Severity.MEDIUM), Map.entry("warn", Severity.MEDIUM),
            Map.entry("moderate", Severity.MEDIUM), Map.entry("p3", Severity.MEDIUM), Map.entry("sev3", Severity.MEDIUM),
            Map.entry("low", Severity.LOW), Map.entry("minor", Severity.LOW), Map.entry("p4", Severity.LOW),
            Map.entry("sev4", Severity.LOW),
            Map.entry("info", Severity.INFO), Map.entry("informational", Severity.INFO), Map.entry("notice", Severity.INFO),
            Map.entry("none", Severity.INFO), Map.entry("p5", Severity.INFO), Map.entry("sev5", Severity.INFO));

    private Severities() {
    }

    /** The severity a word names, or null when it names none. */
    public static Severity parse(String word) {
        if (word == null) {
            return null;
        }
        return WORDS.get(word.trim().toLowerCase(Locale.ROOT));
    }

    /** The severity a word names, or UNKNOWN. */
    public static Severity parseOrUnknown(String word) {
        Severity severity = parse(word);
        return severity == null ? Severity.UNKNOWN : severity;
    }
}
