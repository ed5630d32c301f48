package dev.nightshift.triage.analytics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Per team: incidents and pages out of its working hours (the "3 a.m." figure), and its noisiest alerts: those
 * that fired and resolved by themselves within the noise threshold with nobody acting, most such incidents first.
 */
public final class TeamReport {
    /** One alert name of a team and how often it was noise. */
    public record NoisyAlert(String alertName, String category, int fired, int resolvedByThemselves) {
    }

    public record TeamFigures(String team, String hours, int incidents, int outOfHoursIncidents, int pages,
                              int outOfHoursPages, List<NoisyAlert> noisiestAlerts) {
    }

    private TeamReport() {
    }

    /** @param noisiest how many noisy alerts to list per team */
    public static List<TeamFigures> of(List<IncidentFact> facts, TeamHours hours, int noisiest) {
        Map<String, List<IncidentFact>> teams = facts.stream().collect(Collectors.groupingBy(IncidentFact::team, TreeMap::new, Collectors.toList()));
        List<TeamFigures> figures = new ArrayList<>();
        teams.forEach((team, members) -> {
            Map<String, List<IncidentFact>> byAlert = members.stream()
                    .collect(Collectors.groupingBy(IncidentFact::kind, LinkedHashMap::new, Collectors.toList()));
            List<NoisyAlert> noisy = new ArrayList<>();
            byAlert.values().forEach(alerts -> {
                int noise = (int) alerts.stream().filter(IncidentFact::noise).count();
                if (noise > 0) {
                    noisy.add(new NoisyAlert(alerts.get(0).alertName(), alerts.get(0).category(), alerts.size(), noise));
                }
            });
            noisy.sort(Comparator.comparingInt(NoisyAlert::resolvedByThemselves).reversed()
                    .thenComparing(Comparator.comparingInt(NoisyAlert::fired).reversed()).thenComparing(NoisyAlert::alertName));
            figures.add(new TeamFigures(team, hours.of(team).describe(), members.size(),
                    (int) members.stream().filter(IncidentFact::outOfHours).count(),
                    members.stream().mapToInt(IncidentFact::pages).sum(),
                    members.stream().mapToInt(IncidentFact::pagesOutOfHours).sum(),
                    List.copyOf(noisy.subList(0, Math.min(noisiest, noisy.size())))));
        });
        return figures;
    }
}
