package dev.nightshift.triage.analytics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * MTTR, MTTA and what automation did, per team, service or category, over the incidents of one window.
 * Means are arithmetic; p50 and p90 are exact nearest-rank percentiles over every incident of the group in the
 * window (the value at rank ⌈p/100 × n⌉ in ascending order). Responder time saved: for each incident automation
 * resolved alone, the mean open-to-resolve time of the incidents of the same kind (classification and alert name)
 * in the window that people resolved, less its own; nothing when no incident of its kind was resolved by people.
 */
public final class AnalyticsFigures {
    /** What the figures are grouped by. */
    public enum Dimension {
        TEAM(IncidentFact::team), SERVICE(IncidentFact::service), CATEGORY(IncidentFact::category);

        private final Function<IncidentFact, String> key;

        Dimension(Function<IncidentFact, String> key) {
            this.key = key;
        }

        public String field() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static java.util.Optional<Dimension> parse(String text) {
            return java.util.Arrays.stream(values()).filter(d -> d.field().equalsIgnoreCase(text.trim())).findFirst();
        }
    }

    /** One group's figures; seconds, null where the group has no sample. */
    public record GroupFigures(String group, int incidents, Double mttrMeanSeconds, Double mttrP50Seconds,
                               Double mttrP90Seconds, Double mttaMeanSeconds, Double mttaP50Seconds, Double mttaP90Seconds,
                               Double timeToFirstAutomatedStepMeanSeconds, Double timeToFirstAutomatedStepP50Seconds,
                               double resolvedByAutomationShare, double responderTimeSavedSeconds) {

        /** As one JSON object or CSV row: the group's name under the dimension's own field, then the figures. */
        public Map<String, Object> row(Dimension by) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(by.field(), group);
            row.put("incidents", incidents);
            row.put("mttrMeanSeconds", mttrMeanSeconds);
            row.put("mttrP50Seconds", mttrP50Seconds);
            row.put("mttrP90Seconds", mttrP90Seconds);
            row.put("mttaMeanSeconds", mttaMeanSeconds);
            row.put("mttaP50Seconds", mttaP50Seconds);
            row.put("mttaP90Seconds", mttaP90Seconds);
            row.put("timeToFirstAutomatedStepMeanSeconds", timeToFirstAutomatedStepMeanSeconds);
            row.put("timeToFirstAutomatedStepP50Seconds", timeToFirstAutomatedStepP50Seconds);
            row.put("resolvedByAutomationShare", resolvedByAutomationShare);
            row.put("responderTimeSavedSeconds", responderTimeSavedSeconds);
            return row;
        }
    }

    /** The periods figures over time are cut into: UTC days, or weeks from Monday 00:00 UTC. */
    public enum Period {
        DAY, WEEK;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static java.util.Optional<Period> parse(String text) {
            return java.util.Arrays.stream(values()).filter(p -> p.label().equalsIgnoreCase(text.trim())).findFirst();
        }

        /** The start of the period holding {@code millis}. */
        public Instant start(long millis) {
            Instant day = Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.DAYS);
            return this == DAY ? day : day.atOffset(ZoneOffset.UTC).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
        }
    }

    /** One period's figures of one group: those of {@link #byGroup} over the incidents that opened in the period. */
    public record PeriodFigures(Instant periodStart, GroupFigures figures) {

        /** As one JSON object or CSV row: the period's start, then the group's row. */
        public Map<String, Object> row(Dimension by) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("periodStart", periodStart.toString());
            row.putAll(figures.row(by));
            return row;
        }
    }

    private AnalyticsFigures() {
    }

    /**
     * The figures of each group in each period, earliest period first, groups by name within it; a period or group
     * with no incident gives no row. Each period is a window of its own: its figures are {@link #byGroup}'s over the
     * incidents that opened in it (by their opening time, the alert's own).
     */
    public static List<PeriodFigures> byPeriod(List<IncidentFact> facts, Dimension by, Period per) {
        Map<Instant, List<IncidentFact>> periods = facts.stream()
                .collect(Collectors.groupingBy(f -> per.start(f.openedAt()), TreeMap::new, Collectors.toList()));
        List<PeriodFigures> figures = new ArrayList<>();
        periods.forEach((start, members) -> byGroup(members, by).forEach(g -> figures.add(new PeriodFigures(start, g))));
        return figures;
    }

    /** The figures of each group, by group name. */
    public static List<GroupFigures> byGroup(List<IncidentFact> facts, Dimension by) {
        Map<String, Double> savedByIncident = responderTimeSavedMillis(facts);
        Map<String, List<IncidentFact>> groups = facts.stream().collect(Collectors.groupingBy(by.key, TreeMap::new, Collectors.toList()));
        List<GroupFigures> figures = new ArrayList<>();
        groups.forEach((group, members) -> {
            List<Long> ttr = values(members, IncidentFact::timeToResolveMillis);
            List<Long> tta = values(members, IncidentFact::timeToAcknowledgeMillis);
            List<Long> firstStep = values(members, IncidentFact::timeToFirstAutomatedStepMillis);
            long byAutomation = members.stream().filter(IncidentFact::resolvedByAutomation).count();
            double saved = members.stream().mapToDouble(f -> savedByIncident.getOrDefault(f.incidentId(), 0.0)).sum();
            figures.add(new GroupFigures(group, members.size(), seconds(mean(ttr)), seconds(percentile(ttr, 50)),
                    seconds(percentile(ttr, 90)), seconds(mean(tta)), seconds(percentile(tta, 50)), seconds(percentile(tta, 90)),
                    seconds(mean(firstStep)), seconds(percentile(firstStep, 50)), (double) byAutomation / members.size(),
                    saved / 1000.0));
        });
        return figures;
    }

    /**
     * Milliseconds saved per incident that automation resolved alone (the method in the class comment), by incident id.
     */
    public static Map<String, Double> responderTimeSavedMillis(List<IncidentFact> facts) {
        Map<String, List<Long>> peopleByKind = new HashMap<>();
        for (IncidentFact fact : facts) {
            if (fact.peopleMillis() != null) {
                peopleByKind.computeIfAbsent(fact.kind(), k -> new ArrayList<>()).add(fact.peopleMillis());
            }
        }
        Map<String, Double> saved = new HashMap<>();
        for (IncidentFact fact : facts) {
            Double baseline = mean(peopleByKind.getOrDefault(fact.kind(), List.of()));
            if (fact.resolvedByAutomation() && fact.timeToResolveMillis() != null && baseline != null) {
                saved.put(fact.incidentId(), Math.max(0.0, baseline - fact.timeToResolveMillis()));
            }
        }
        return saved;
    }

    static List<Long> values(List<IncidentFact> facts, Function<IncidentFact, Long> value) {
        return facts.stream().map(value).filter(Objects::nonNull).sorted().toList();
    }

    /** Arithmetic mean, or null for no values. */
    public static Double mean(List<Long> values) {
        return values.isEmpty() ? null : values.stream().mapToLong(Long::longValue).average().orElseThrow();
    }

    /** Nearest-rank percentile: the value at rank ⌈p/100 × n⌉ of the values in ascending order; null for no values. */
    public static Long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    static Double seconds(Number millis) {
        return millis == null ? null : millis.doubleValue() / 1000.0;
    }
}
