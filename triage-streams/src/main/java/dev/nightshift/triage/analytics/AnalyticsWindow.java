package dev.nightshift.triage.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The windows the figures are given over. An incident belongs to a window by the time it opened (its first
 * alert's own time), not by when its records arrived, so a late or out-of-order outcome counts where its
 * incident happened.
 */
public enum AnalyticsWindow {
    H24("24h", Duration.ofHours(24)),
    D7("7d", Duration.ofDays(7)),
    D30("30d", Duration.ofDays(30)),
    ALL("all", null);

    private final String label;
    private final Duration length;

    AnalyticsWindow(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    public String label() {
        return label;
    }

    public static Optional<AnalyticsWindow> parse(String text) {
        return Arrays.stream(values()).filter(w -> w.label.equals(text.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** The earliest opening time in the window ending at {@code until} (exclusive), or Long.MIN_VALUE for all. */
    public long fromMillis(Instant until) {
        return length == null ? Long.MIN_VALUE : until.toEpochMilli() - length.toMillis();
    }

    /** Whether an incident opened at {@code openedAtMillis} falls in the window (from, until]. */
    public boolean contains(long openedAtMillis, Instant until) {
        return openedAtMillis > fromMillis(until) && openedAtMillis <= until.toEpochMilli();
    }

    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(AnalyticsWindow::label).toList());
    }
}
