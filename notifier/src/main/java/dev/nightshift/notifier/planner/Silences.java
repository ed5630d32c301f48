package dev.nightshift.notifier.planner;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Silence;

import java.util.Optional;
import java.util.function.Function;

/**
 * A team's silences: on the compacted {@code notifications.silences} topic, keyed {@code <team>|service:<service>} or
 * {@code <team>|alert:<alert name>}. An incident is silenced while a silence of its team names its service or its
 * alert's name and has not ended ({@code until} after now); a silence whose {@code until} has passed, or a tombstone,
 * lifts it. Silenced incidents are still recorded, triaged and remediated; only the notifier keeps quiet about them.
 */
public final class Silences {
    private Silences() {
    }

    public static String serviceKey(String team, String service) {
        return team + "|service:" + service;
    }

    public static String alertKey(String team, String alertName) {
        return team + "|alert:" + alertName;
    }

    /** The key of the silence holding the incident at {@code nowMillis}, if one does. */
    public static Optional<String> holding(Incident incident, long nowMillis, Function<String, Silence> silences) {
        String team = incident.getOwner() == null ? null : incident.getOwner().getTeam();
        if (team == null) {
            return Optional.empty();
        }
        String service = incident.getOwner().getService();
        if (service != null && active(silences.apply(serviceKey(team, service)), team, nowMillis)) {
            return Optional.of(serviceKey(team, service));
        }
        if (incident.getName() != null && active(silences.apply(alertKey(team, incident.getName())), team, nowMillis)) {
            return Optional.of(alertKey(team, incident.getName()));
        }
        return Optional.empty();
    }

    private static boolean active(Silence silence, String team, long nowMillis) {
        return silence != null && team.equals(silence.getTeam()) && silence.getUntil().toEpochMilli() > nowMillis;
    }
}
