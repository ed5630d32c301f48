package dev.nightshift.triage.lifecycle;

import java.time.Duration;

/**
 * The lifecycle's knobs.
 *
 * @param reopenWindow     a fingerprint firing again this soon after its incident resolved reopens it;
 *                         the incident's outcome is final (and published) only when this window has passed
 * @param flapTransitions  this many state changes (firing to resolved or back) within {@code flapWindow} mark a
 *                         fingerprint flapping, which holds its playbook
 * @param flapWindow       the window over which transitions are counted
 * @param expireAfter      an open incident with no alert for this long is closed as expired
 * @param stateRetention   how long the state of a closed fingerprint and a closed incident are kept for queries,
 *                         reopening and ids after its last change
 * @param repeatPublishInterval a repeat (same state, one more occurrence) is published on {@code incidents} at most
 *                         this often per incident; every alert still goes to its team topic, and every state change
 *                         is published at once (zero publishes every repeat)
 */
public record LifecycleSettings(Duration reopenWindow, int flapTransitions, Duration flapWindow, Duration expireAfter,
                                Duration stateRetention, Duration repeatPublishInterval) {
    public LifecycleSettings {
        if (flapTransitions < 2) {
            throw new IllegalArgumentException("flapping transitions must be at least 2, got " + flapTransitions);
        }
        if (reopenWindow.isNegative() || flapWindow.isNegative() || expireAfter.isZero() || expireAfter.isNegative() || stateRetention.isZero() || stateRetention.isNegative()
                || repeatPublishInterval.isNegative()) {
            throw new IllegalArgumentException("lifecycle durations must not be negative and expiry/retention must be positive");
        }
    }

    public static LifecycleSettings defaults() {
        return new LifecycleSettings(Duration.ofMinutes(10), 4, Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofDays(7),
                Duration.ofMinutes(1));
    }
}
