package dev.nightshift.triage.analytics;

import dev.nightshift.triage.ownership.OwnerResolver;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Each team's working hours, in its time zone: an incident opened or a page sent outside them is out of hours
 * (the "3 a.m." figure). Teams not named in the overrides have the default hours.
 */
public final class TeamHours {
    /** One team's hours: a time zone, a start and end of day (end excluded), the working days. */
    public record Hours(ZoneId zone, LocalTime start, LocalTime end, Set<DayOfWeek> days) {
        public boolean covers(Instant at) {
            ZonedDateTime local = at.atZone(zone);
            LocalTime time = local.toLocalTime();
            boolean withinDay = start.isBefore(end)
                    ? !time.isBefore(start) && time.isBefore(end)
                    : !time.isBefore(start) || time.isBefore(end);   // hours across midnight, e.g. 22:00-06:00
            return withinDay && days.contains(local.getDayOfWeek());
        }

        /** As the settings write it: {@code Europe/Berlin 08:00-17:00 MON-FRI}. */
        public String describe() {
            StringBuilder out = new StringBuilder(zone.getId()).append(' ').append(start).append('-').append(end).append(' ');
            out.append(String.join(",", days.stream().sorted().map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ROOT)
                    .toUpperCase(Locale.ROOT)).toList()));
            return out.toString();
        }
    }

    private final Hours defaults;
    private final Map<String, Hours> byTeam;

    public TeamHours(Hours defaults, Map<String, Hours> byTeam) {
        this.defaults = defaults;
        this.byTeam = Map.copyOf(byTeam);
    }

    /**
     * From the settings.
     *
     * @param zone      default time zone, e.g. {@code UTC}, {@code Europe/Berlin}
     * @param hours     default working hours, {@code HH:MM-HH:MM}
     * @param days      default working days, {@code MON-FRI} or {@code MON,TUE,THU}
     * @param overrides per team, separated by {@code ;}: {@code payments=Europe/Berlin 08:00-17:00 MON-FRI}
     * @throws IllegalArgumentException naming the setting that does not read
     */
    public static TeamHours parse(String zone, String hours, String days, String overrides) {
        Hours defaults = hours("default", zone, hours, days);
        Map<String, Hours> byTeam = new HashMap<>();
        for (String entry : overrides.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String[] parts = eq < 0 ? new String[0] : entry.substring(eq + 1).trim().split("\\s+");
            if (parts.length != 3) {
                throw new IllegalArgumentException("team hours '" + entry.trim() + "': write team=ZONE HH:MM-HH:MM DAYS, "
                        + "e.g. payments=Europe/Berlin 08:00-17:00 MON-FRI");
            }
            String team = OwnerResolver.teamName(entry.substring(0, eq).trim());
            byTeam.put(team, hours("team " + team, parts[0], parts[1], parts[2]));
        }
        return new TeamHours(defaults, byTeam);
    }

    private static Hours hours(String whose, String zone, String hours, String days) {
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(whose + " time zone '" + zone + "' is not a time zone (e.g. UTC, Europe/Berlin)");
        }
        String[] range = hours.trim().split("-");
        LocalTime start;
        LocalTime end;
        try {
            start = LocalTime.parse(range[0]);
            end = LocalTime.parse(range[1]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(whose + " hours '" + hours + "': write HH:MM-HH:MM, e.g. 09:00-18:00");
        }
        return new Hours(zoneId, start, end, days(whose, days));
    }

    private static Set<DayOfWeek> days(String whose, String text) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        try {
            for (String part : text.trim().toUpperCase(Locale.ROOT).split(",")) {
                String[] range = part.split("-");
                DayOfWeek from = day(range[0]);
                DayOfWeek to = range.length > 1 ? day(range[1]) : from;
                for (DayOfWeek d = from; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == to) {
                        break;
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(whose + " days '" + text + "': write MON-FRI or MON,TUE,WED");
        }
        return days;
    }

    private static DayOfWeek day(String abbreviation) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(abbreviation.trim()) && abbreviation.trim().length() == 3) {
                return d;
            }
        }
        throw new IllegalArgumentException(abbreviation);
    }

    public Hours of(String team) {
        return byTeam.getOrDefault(team, defaults);
    }

    public boolean outOfHours(String team, Instant at) {
        return !of(team).covers(at);
    }
}
