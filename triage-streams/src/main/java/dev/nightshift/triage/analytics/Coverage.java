package dev.nightshift.triage.analytics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Automation coverage per kind of alert (its classification and alert name), and what to automate next: the kinds
 * people still handle, ranked by how often they fire times the time people spent on one (open to resolve, over the
 * incidents automation did not resolve).
 */
public final class Coverage {
    /**
     * One kind's coverage.
     *
     * @param fired                closed incidents of this kind in the window
     * @param playbookRuns         of those, how many had a playbook run
     * @param automatedSteps       automated steps that ran, over all of them
     * @param manualSteps          steps handed over to people, over all of them
     * @param resolvedByAutomation incidents automation resolved alone
     * @param handledByPeople      resolved incidents automation did not resolve
     * @param peopleMeanSeconds    mean open-to-resolve time of those; null when there are none
     * @param score                fired × peopleMeanSeconds: the ranking of what to automate next (0 when people spent nothing)
     */
    public record KindCoverage(String category, String alertName, List<String> playbooks, int fired, int playbookRuns,
                               int automatedSteps, int manualSteps, int resolvedByAutomation, int handledByPeople,
                               Double peopleMeanSeconds, double peopleTotalSeconds, double score) {

        public Map<String, Object> row() {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("category", category);
            row.put("alertName", alertName);
            row.put("playbooks", String.join(" ", playbooks));
            row.put("fired", fired);
            row.put("playbookRuns", playbookRuns);
            row.put("automatedSteps", automatedSteps);
            row.put("manualSteps", manualSteps);
            row.put("resolvedByAutomation", resolvedByAutomation);
            row.put("handledByPeople", handledByPeople);
            row.put("peopleMeanSeconds", peopleMeanSeconds);
            row.put("peopleTotalSeconds", peopleTotalSeconds);
            row.put("score", score);
            return row;
        }
    }

    private Coverage() {
    }

    /** Every kind that fired, most frequent first (then by category and name). */
    public static List<KindCoverage> of(List<IncidentFact> facts) {
        Map<String, List<IncidentFact>> kinds = facts.stream().collect(Collectors.groupingBy(IncidentFact::kind, LinkedHashMap::new, Collectors.toList()));
        List<KindCoverage> coverage = new ArrayList<>();
        for (List<IncidentFact> members : kinds.values()) {
            IncidentFact first = members.get(0);
            List<Long> people = AnalyticsFigures.values(members, IncidentFact::peopleMillis);
            Double peopleMean = AnalyticsFigures.mean(people);
            double peopleTotal = people.stream().mapToLong(Long::longValue).sum() / 1000.0;
            coverage.add(new KindCoverage(first.category(), first.alertName(),
                    List.copyOf(members.stream().map(IncidentFact::playbook).filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new))),
                    members.size(), (int) members.stream().filter(IncidentFact::playbookRan).count(),
                    members.stream().mapToInt(IncidentFact::automatedSteps).sum(),
                    members.stream().mapToInt(IncidentFact::manualSteps).sum(),
                    (int) members.stream().filter(IncidentFact::resolvedByAutomation).count(), people.size(),
                    AnalyticsFigures.seconds(peopleMean), peopleTotal,
                    peopleMean == null ? 0.0 : members.size() * peopleMean / 1000.0));
        }
        coverage.sort(Comparator.comparingInt(KindCoverage::fired).reversed()
                .thenComparing(KindCoverage::category).thenComparing(KindCoverage::alertName));
        return coverage;
    }

    /** The kinds people still handle, highest score first (then the most frequent, then by category and name). */
    public static List<KindCoverage> candidates(List<IncidentFact> facts) {
        List<KindCoverage> candidates = new ArrayList<>(of(facts).stream().filter(k -> k.handledByPeople() > 0).toList());
        candidates.sort(Comparator.comparingDouble(KindCoverage::score).reversed()
                .thenComparing(Comparator.comparingInt(KindCoverage::fired).reversed())
                .thenComparing(KindCoverage::category).thenComparing(KindCoverage::alertName));
        return candidates;
    }
}
