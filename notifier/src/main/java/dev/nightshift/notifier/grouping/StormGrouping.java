package dev.nightshift.notifier.grouping;

import dev.nightshift.schema.GroupMember;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.StormGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Calm in an alert storm, after Alertmanager's grouping: the first incident of a family (team, category, channel)
 * opens a group and is posted at once; an incident of the same family that opened within the group window of the
 * group's first incident (by the alerts' own {@code openedAt}, either side, since incidents of one storm reach the
 * grouping in no set order) joins that group's thread; one outside it opens a new group. Only a family's latest group
 * takes new members.
 */
public final class StormGrouping {
    private final Duration window;

    public StormGrouping(Duration window) {
        if (window == null || window.isNegative()) {
            throw new IllegalArgumentException("the group window must be zero or more, got " + window);
        }
        this.window = window;
    }

    /** Where an incident goes: its thread, that thread's window start, and whether it opens the group. */
    public record Placement(String threadKey, long windowStartMillis, boolean opensGroup) {
    }

    /** The thread of an incident of {@code family} that opened at {@code openedAtMillis}, given the family's latest group. */
    public Placement place(String family, StormGroup latest, long openedAtMillis) {
        if (latest != null && Math.abs(openedAtMillis - latest.getWindowStart().toEpochMilli()) < window.toMillis()) {
            return new Placement(latest.getThreadKey(), latest.getWindowStart().toEpochMilli(), false);
        }
        return new Placement(GroupKeys.thread(family, openedAtMillis), openedAtMillis, true);
    }

    /** Whether a new group becomes its family's latest (an incident that opened long before the latest group does not). */
    public static boolean becomesLatest(StormGroup latest, Placement placement) {
        return placement.opensGroup() && (latest == null || placement.windowStartMillis() > latest.getWindowStart().toEpochMilli());
    }

    public Duration window() {
        return window;
    }

    /** The members with the incident added at the end (or updated where it is already listed). */
    public static List<GroupMember> withMember(List<GroupMember> members, Incident incident) {
        List<GroupMember> updated = new ArrayList<>(members);
        GroupMember member = member(incident);
        for (int i = 0; i < updated.size(); i++) {
            if (updated.get(i).getIncidentId().equals(incident.getIncidentId())) {
                updated.set(i, member);
                return updated;
            }
        }
        updated.add(member);
        return updated;
    }

    /** How a thread's parent lists an incident: by its title (its alert's name when it has none), severity, state and service. */
    public static GroupMember member(Incident incident) {
        return GroupMember.newBuilder().setIncidentId(incident.getIncidentId())
                .setTitle(incident.getTitle() != null && !incident.getTitle().isBlank() ? incident.getTitle() : incident.getName())
                .setSeverity(incident.getSeverity()).setState(incident.getState())
                .setService(incident.getOwner() == null ? null : incident.getOwner().getService()).build();
    }
}
