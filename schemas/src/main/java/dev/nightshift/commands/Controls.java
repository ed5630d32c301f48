package dev.nightshift.commands;

/** The keys of the automation.control topic: one per scope a person can switch. */
public final class Controls {
    /** Pausing (or resuming) all automation. */
    public static final String PAUSE_ALL = "pause:all";

    private Controls() {
    }

    /** Pausing (or resuming) one service's automation. */
    public static String pauseOf(String service) {
        return "pause:service:" + service;
    }

    /** Switching an action off (or on again, which also closes its open circuit). */
    public static String actionOf(String action) {
        return "action:" + action;
    }
}
