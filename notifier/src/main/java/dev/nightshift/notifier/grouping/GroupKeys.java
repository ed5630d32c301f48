package dev.nightshift.notifier.grouping;

/**
 * The names of storm groups. A family is the incidents that may share a thread: one team, one category, one Slack
 * channel ({@code <team>|<category>|<channel>}); a thread is one group of a family, named by its window's start
 * ({@code <family>|<window start millis>}), and is the key of every notification of its incidents.
 */
public final class GroupKeys {
    /** The part of a key for an unclassified incident, or one with no Slack channel. */
    public static final String NONE = "none";
    private static final String UNCLASSIFIED = "unclassified";

    private GroupKeys() {
    }

    public static String family(String team, String category, String channel) {
        return part(team) + "|" + category(category) + "|" + part(channel);
    }

    public static String thread(String family, long windowStartMillis) {
        return family + "|" + windowStartMillis;
    }

    /** The team a family key names. */
    public static String teamOf(String family) {
        int bar = family.indexOf('|');
        return bar < 0 ? family : family.substring(0, bar);
    }

    /** The category a family key names ({@value #NONE} when unclassified). */
    public static String categoryOf(String family) {
        String[] parts = family.split("\\|", -1);
        return parts.length > 1 ? parts[1] : NONE;
    }

    static String category(String category) {
        return category == null || category.isBlank() || UNCLASSIFIED.equals(category) ? NONE : part(category);
    }

    private static String part(String value) {
        return value == null || value.isBlank() ? NONE : value.trim().replace('|', '/');
    }
}
