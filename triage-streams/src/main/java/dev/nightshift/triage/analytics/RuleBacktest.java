package dev.nightshift.triage.analytics;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.FingerprintState;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Owner;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.triage.classify.Classification;
import dev.nightshift.triage.classify.ClassificationRule;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.ownership.OwnerResolver;
import dev.nightshift.triage.ownership.OwnershipIndex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A backtest of proposed triage files: the same alerts triaged twice by triage's own code (its rules, its owner
 * resolution and its incident lifecycle), once as triage is configured and once as proposed, and what differs: how
 * many alerts each rule matches on either side, and the incidents whose category, severity, team or playbook would
 * change, each with the first alert that shows it. Each fingerprint's alerts are applied in the order given (the
 * order of their partition, as triage applies them), dated by their own times; the lifecycle's wall-clock steps
 * (expiry, the end of the reopen window) are taken at the next alert's time, so incidents split as triage split them.
 */
public final class RuleBacktest {
    static {
        // The lifecycle copies incidents through the generated classes, which Avro loads only once they are trusted:
        // the services trust them when their registry serde loads, and so does this.
        new RegistryAvroDeserializer<>().close();
    }

    /** The label of alerts no rule matches. */
    public static final String NO_RULE = "(no rule: unclassified)";

    /**
     * One way of triaging.
     *
     * @param rules         the classification rules
     * @param ownership     the ownership entries owners are resolved from
     * @param playbookSteps a playbook's steps as one line, to tell a playbook that would run differently under the
     *                      same name; null for a playbook the side does not have
     */
    public record Side(ClassificationRules rules, OwnershipIndex ownership, Function<String, String> playbookSteps) {
    }

    /** How many alerts a rule matches before and after; {@code inCurrent}/{@code inProposed}: which files have it. */
    public record RuleCount(String rule, int before, int after, boolean inCurrent, boolean inProposed) {
        public boolean changed() {
            return before != after;
        }
    }

    /** One field of an incident that would change. */
    public record FieldChange(String field, String before, String after) {
        @Override
        public String toString() {
            return field + " " + before + " -> " + after;
        }
    }

    /** An incident that would change, with the first alert that shows each field's change. */
    public record MovedIncident(String incidentId, String fingerprint, List<FieldChange> changes, Alert example) {
    }

    /** The backtest's answer. */
    public record Result(int alerts, int incidents, List<RuleCount> rules, List<MovedIncident> moved) {
        public long changedRules() {
            return rules.stream().filter(RuleCount::changed).count();
        }

        public long movedBy(String field) {
            return moved.stream().filter(m -> m.changes().stream().anyMatch(c -> c.field().equals(field))).count();
        }
    }

    private final Side current;
    private final Side proposed;
    private final OwnerResolver owners;
    private final IncidentLifecycle lifecycle;

    public RuleBacktest(Side current, Side proposed, OwnerResolver owners, IncidentLifecycle lifecycle) {
        this.current = current;
        this.proposed = proposed;
        this.owners = owners;
        this.lifecycle = lifecycle;
    }

    /** Triages {@code alerts} both ways and compares. */
    public Result run(List<Alert> alerts) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        current.rules().rules().forEach(r -> counts.put(r.name(), new int[2]));
        proposed.rules().rules().forEach(r -> counts.putIfAbsent(r.name(), new int[2]));
        counts.put(NO_RULE, new int[2]);

        Map<String, FingerprintState[]> states = new LinkedHashMap<>();
        Map<String, Map<String, FieldChange>> changes = new LinkedHashMap<>();
        Map<String, Alert> examples = new LinkedHashMap<>();
        Set<String> incidents = new LinkedHashSet<>();
        for (Alert alert : alerts) {
            Classification before = current.rules().classify(alert);
            Classification after = proposed.rules().classify(alert);
            counts.get(before.rule() == null ? NO_RULE : before.rule())[0]++;
            counts.get(after.rule() == null ? NO_RULE : after.rule())[1]++;

            FingerprintState[] state = states.computeIfAbsent(alert.getFingerprint(), f -> new FingerprintState[2]);
            long at = alert.getOccurredAt().toEpochMilli();
            Incident was = apply(state, 0, alert, before, current, at);
            Incident would = apply(state, 1, alert, after, proposed, at);
            if (was == null || would == null) {
                continue;
            }
            incidents.add(was.getIncidentId());
            Map<String, FieldChange> differences = changes.computeIfAbsent(was.getIncidentId(), id -> new LinkedHashMap<>());
            for (FieldChange change : compare(was, would)) {
                if (differences.putIfAbsent(change.field(), change) == null) {
                    examples.putIfAbsent(was.getIncidentId(), alert);
                }
            }
        }

        List<RuleCount> rules = new ArrayList<>();
        Set<String> inCurrent = names(current.rules());
        Set<String> inProposed = names(proposed.rules());
        counts.forEach((rule, n) -> rules.add(new RuleCount(rule, n[0], n[1],
                rule.equals(NO_RULE) || inCurrent.contains(rule), rule.equals(NO_RULE) || inProposed.contains(rule))));
        List<MovedIncident> moved = new ArrayList<>();
        changes.forEach((id, fields) -> {
            if (!fields.isEmpty()) {
                Alert example = examples.get(id);
                moved.add(new MovedIncident(id, example.getFingerprint(), List.copyOf(fields.values()), example));
            }
        });
        return new Result(alerts.size(), incidents.size(), rules, moved);
    }

    /**
     * The result as the backtest prints it: per rule that matches an alert on either side, its counts before and
     * after (and whether only one side has it); then each incident that would change, with the alert that shows it;
     * then a summary line.
     */
    public static List<String> describe(Result result) {
        List<String> lines = new ArrayList<>();
        List<RuleCount> listed = result.rules().stream().filter(r -> r.before() > 0 || r.after() > 0).toList();
        int width = Math.max("rule".length(), listed.stream().mapToInt(r -> r.rule().length()).max().orElse(0));
        lines.add(String.format("%-" + width + "s  %6s  %6s", "rule", "before", "after"));
        for (RuleCount rule : listed) {
            String note = !rule.inCurrent() ? "  new rule" : !rule.inProposed() ? "  removed rule" : rule.changed() ? "  differs" : "";
            lines.add(String.format("%-" + width + "s  %6d  %6d%s", rule.rule(), rule.before(), rule.after(), note));
        }
        long silent = result.rules().stream().filter(r -> !r.rule().equals(NO_RULE) && r.before() == 0 && r.after() == 0).count();
        if (silent > 0) {
            lines.add("(" + silent + " other rule" + (silent == 1 ? "" : "s") + " match no alert before or after)");
        }
        lines.add("");
        if (result.moved().isEmpty()) {
            lines.add("no incident would change");
        } else {
            lines.add(result.moved().size() + " of " + result.incidents() + " incidents would change:");
            for (MovedIncident incident : result.moved()) {
                lines.add("  " + incident.incidentId() + " (fingerprint " + incident.fingerprint() + "): "
                        + String.join(", ", incident.changes().stream().map(FieldChange::toString).toList()));
                Alert alert = incident.example();
                lines.add("      e.g. alert \"" + alert.getName() + "\" (" + alert.getAlertId() + ", "
                        + alert.getState().name().toLowerCase(java.util.Locale.ROOT) + " at " + alert.getOccurredAt() + ")");
            }
        }
        lines.add("");
        lines.add("backtest: " + result.alerts() + " alert" + (result.alerts() == 1 ? "" : "s") + ", " + result.incidents() + " incident"
                + (result.incidents() == 1 ? "" : "s") + "; " + result.changedRules() + " rule" + (result.changedRules() == 1 ? "" : "s")
                + " match a different number of alerts; " + result.moved().size() + " incident" + (result.moved().size() == 1 ? "" : "s")
                + " would change (category " + result.movedBy("category") + ", severity " + result.movedBy("severity") + ", team "
                + result.movedBy("team") + ", playbook " + result.movedBy("playbook") + ")");
        return lines;
    }

    /** Applies one alert to one side's state of its fingerprint; the incident it leaves, or null when there is none. */
    private Incident apply(FingerprintState[] states, int side, Alert alert, Classification classification, Side how, long at) {
        FingerprintState state = states[side];
        if (state != null) {
            state = lifecycle.onTick(state, at).state();
        }
        Owner owner = owners.resolve(alert, how.ownership());
        state = lifecycle.onAlert(state, alert, classification, owner, at).state();
        states[side] = state;
        return state.getIncident();
    }

    private List<FieldChange> compare(Incident was, Incident would) {
        List<FieldChange> changes = new ArrayList<>();
        add(changes, "category", was.getCategory(), would.getCategory());
        add(changes, "severity", String.valueOf(was.getSeverity()), String.valueOf(would.getSeverity()));
        add(changes, "team", was.getOwner().getTeam(), would.getOwner().getTeam());
        String playbookBefore = was.getPlaybook();
        String playbookAfter = would.getPlaybook();
        if (!Objects.equals(playbookBefore, playbookAfter)) {
            changes.add(new FieldChange("playbook", playbookBefore == null ? "none" : playbookBefore,
                    playbookAfter == null ? "none" : playbookAfter));
        } else if (playbookBefore != null) {
            String stepsBefore = current.playbookSteps().apply(playbookBefore);
            String stepsAfter = proposed.playbookSteps().apply(playbookAfter);
            if (!Objects.equals(stepsBefore, stepsAfter)) {
                changes.add(new FieldChange("playbook", playbookBefore + " [" + steps(stepsBefore) + "]",
                        playbookAfter + " [" + steps(stepsAfter) + "]"));
            }
        }
        return changes;
    }

    private static String steps(String steps) {
        return steps == null ? "not in the playbooks file" : steps;
    }

    private static void add(List<FieldChange> changes, String field, String before, String after) {
        if (!Objects.equals(before, after)) {
            changes.add(new FieldChange(field, before, after));
        }
    }

    private static Set<String> names(ClassificationRules rules) {
        Set<String> names = new LinkedHashSet<>();
        for (ClassificationRule rule : rules.rules()) {
            names.add(rule.name());
        }
        return names;
    }
}
