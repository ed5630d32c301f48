package dev.nightshift.triage.ownership;

import dev.nightshift.schema.Ownership;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What applying an ownership file changes on the topic: services added, services whose entry
 * differs (anything but the update time), services removed (to be tombstoned), and how many are
 * unchanged (not republished).
 */
public record OwnershipChanges(List<Ownership> added, List<Change> updated, List<String> removed, int unchanged) {

    /** A service whose entry differs. */
    public record Change(Ownership before, Ownership after) {
    }

    public static OwnershipChanges between(Map<String, Ownership> current, List<Ownership> desired) {
        List<Ownership> added = new ArrayList<>();
        List<Change> updated = new ArrayList<>();
        int unchanged = 0;
        Map<String, Ownership> left = new TreeMap<>(current);
        for (Ownership want : desired) {
            Ownership have = left.remove(want.getService());
            if (have == null) {
                added.add(want);
            } else if (same(have, want)) {
                unchanged++;
            } else {
                updated.add(new Change(have, want));
            }
        }
        return new OwnershipChanges(added, updated, new ArrayList<>(left.keySet()), unchanged);
    }

    public boolean isEmpty() {
        return added.isEmpty() && updated.isEmpty() && removed.isEmpty();
    }

    /** One line per change, for people. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        added.forEach(o -> lines.add("+ " + o.getService() + ": team " + o.getTeam() + details(o)));
        for (Change c : updated) {
            StringBuilder line = new StringBuilder("~ " + c.after().getService() + ":");
            diff(line, "team", c.before().getTeam(), c.after().getTeam());
            diff(line, "slack", c.before().getSlackChannel(), c.after().getSlackChannel());
            diff(line, "jira", c.before().getJiraProject(), c.after().getJiraProject());
            diff(line, "environment", c.before().getEnvironment(), c.after().getEnvironment());
            diff(line, "resources", String.valueOf(c.before().getResources()), String.valueOf(c.after().getResources()));
            lines.add(line.toString());
        }
        removed.forEach(s -> lines.add("- " + s + ": removed (tombstone)"));
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
                && Objects.equals(a.getResources(), b.getResources());
    }
}
