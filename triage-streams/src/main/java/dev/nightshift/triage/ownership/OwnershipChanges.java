package dev.nightshift.triage.ownership;

import dev.nightshift.schema.Ownership;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What applying an ownership file changes on the topic: services added, services whose entry
 * differs (anything but the update time), services removed (to be tombstoned), and how many are
 * unchanged (not republished). {@code unreadable} holds the keys whose latest record on the topic could
 * not be read, with why: the file's entry replaces such a record, or a tombstone removes it.
 */
public record OwnershipChanges(List<Ownership> added, List<Change> updated, List<String> removed, int unchanged,
                               Map<String, String> unreadable) {

    /** A service whose entry differs. */
    public record Change(Ownership before, Ownership after) {
    }

    public static OwnershipChanges between(Map<String, Ownership> current, List<Ownership> desired) {
        return between(current, Map.of(), desired);
    }

    /** As {@link #between(Map, List)}, where the topic also holds the {@code unreadable} keys' records (key to why). */
    public static OwnershipChanges between(Map<String, Ownership> current, Map<String, String> unreadable, List<Ownership> desired) {
        List<Ownership> added = new ArrayList<>();
        List<Change> updated = new ArrayList<>();
        int unchanged = 0;
        Map<String, Ownership> left = new TreeMap<>(current);
        Set<String> unreadableLeft = new TreeSet<>(unreadable.keySet());
        for (Ownership want : desired) {
            Ownership have = left.remove(want.getService());
            unreadableLeft.remove(want.getService());
            if (have == null) {
                added.add(want);
            } else if (same(have, want)) {
                unchanged++;
            } else {
                updated.add(new Change(have, want));
            }
        }
        Set<String> removed = new TreeSet<>(left.keySet());
        removed.addAll(unreadableLeft);
        return new OwnershipChanges(added, updated, new ArrayList<>(removed), unchanged, Map.copyOf(unreadable));
    }

    public boolean isEmpty() {
        return added.isEmpty() && updated.isEmpty() && removed.isEmpty();
    }

    /** One line per change, for people. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        added.forEach(o -> lines.add("+ " + o.getService() + ": team " + o.getTeam() + details(o)
                + (unreadable.containsKey(o.getService()) ? " (replaces an unreadable record: " + unreadable.get(o.getService()) + ")" : "")));
        for (Change c : updated) {
            StringBuilder line = new StringBuilder("~ " + c.after().getService() + ":");
            diff(line, "team", c.before().getTeam(), c.after().getTeam());
            diff(line, "slack", c.before().getSlackChannel(), c.after().getSlackChannel());
            diff(line, "jira", c.before().getJiraProject(), c.after().getJiraProject());
            diff(line, "environment", c.before().getEnvironment(), c.after().getEnvironment());
            diff(line, "approvers", String.valueOf(c.before().getApprovers()), String.valueOf(c.after().getApprovers()));
            diff(line, "resources", String.valueOf(c.before().getResources()), String.valueOf(c.after().getResources()));
            lines.add(line.toString());
        }
        removed.forEach(s -> lines.add("- " + s + ": removed (tombstone)"
                + (unreadable.containsKey(s) ? "; its record could not be read: " + unreadable.get(s) : "")));
        return lines;
    }

    private static String details(Ownership o) {
        StringBuilder text = new StringBuilder();
        if (o.getSlackChannel() != null) {
            text.append(", slack ").append(o.getSlackChannel());
        }
        if (o.getJiraProject() != null) {
            text.append(", jira ").append(o.getJiraProject());
        }
        if (!o.getApprovers().isEmpty()) {
            text.append(", approvers ").append(o.getApprovers());
        }
        if (!o.getResources().isEmpty()) {
            text.append(", resources ").append(o.getResources());
        }
        return text.toString();
    }

    private static void diff(StringBuilder line, String field, String before, String after) {
        if (!Objects.equals(before, after)) {
            line.append(' ').append(field).append(' ').append(before == null ? "(none)" : before).append(" -> ")
                    .append(after == null ? "(none)" : after).append(';');
        }
    }

    private static boolean same(Ownership a, Ownership b) {
        return Objects.equals(a.getTeam(), b.getTeam()) && Objects.equals(a.getSlackChannel(), b.getSlackChannel())
                && Objects.equals(a.getJiraProject(), b.getJiraProject()) && Objects.equals(a.getEnvironment(), b.getEnvironment())
                && Objects.equals(a.getApprovers(), b.getApprovers()) && Objects.equals(a.getResources(), b.getResources());
    }
}
