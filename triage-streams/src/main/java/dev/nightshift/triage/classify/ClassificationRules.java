package dev.nightshift.triage.classify;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.Severity;
import dev.nightshift.config.YamlFiles;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ordered classification rules; the first rule that matches an alert classifies it, and an alert
 * no rule matches is {@code unclassified} with its own severity. An alert that names a playbook
 * itself keeps it over the rule's. A bad rules file fails at load with a message that names the
 * rule and the problem.
 */
public final class ClassificationRules {
    public static final String BUNDLED = "triage/rules.yaml";
    private static final Set<String> TOP = Set.of("rules");
    private static final Set<String> RULE_KEYS = Set.of("name", "match", "set");
    private static final Set<String> SET_KEYS = Set.of("category", "severity", "playbook");
    private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final String origin;
    private final List<ClassificationRule> rules;
    /** The same rules, for the per-alert loop (an array walk, no iterator). */
    private final ClassificationRule[] inOrder;

    private ClassificationRules(String origin, List<ClassificationRule> rules) {
        this.origin = origin;
        this.rules = List.copyOf(rules);
        this.inOrder = this.rules.toArray(new ClassificationRule[0]);
    }

    /**
     * Loads the rules at {@code file}, or the bundled rules when it is blank.
     *
     * @param knownPlaybook whether a playbook name exists, so a rule cannot name a missing one
     */
    public static ClassificationRules load(String file, Predicate<String> knownPlaybook) {
        YamlFiles.Loaded loaded = YamlFiles.load(file, BUNDLED);
        return parse(loaded.origin(), loaded.root(), knownPlaybook);
    }

    public static ClassificationRules none() {
        return new ClassificationRules("none", List.of());
    }

    public static ClassificationRules parse(String origin, Map<String, Object> root, Predicate<String> knownPlaybook) {
        YamlFiles.onlyKeys(root, TOP, origin);
        List<?> raw = YamlFiles.list(root.get("rules"), origin + ": rules");
        List<ClassificationRule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String where = origin + ": rule #" + (i + 1);
            Map<String, Object> rule = YamlFiles.mapping(raw.get(i), where);
            String name = YamlFiles.scalar(rule.get("name"), where + ": name");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(where + ": has no name");
            }
            where = origin + ": rule '" + name + "' (#" + (i + 1) + ")";
            if (!seen.add(name)) {
                throw new IllegalArgumentException(where + ": the name is used by an earlier rule");
            }
            YamlFiles.onlyKeys(rule, RULE_KEYS, where);
            rules.add(parseRule(name, where, rule, knownPlaybook));
        }
        return new ClassificationRules(origin, rules);
    }

    private static ClassificationRule parseRule(String name, String where, Map<String, Object> rule, Predicate<String> knownPlaybook) {
        Map<String, Object> match = YamlFiles.mapping(rule.get("match"), where + ": match");
        YamlFiles.onlyKeys(match, new HashSet<>(ClassificationRule.conditionKeys()), where + ": match");
        if (match.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'match' states no condition (it would match every alert; "
                    + "use a condition such as source or nameRegex: '.*' to say so)");
        }
        Set<AlertSource> sources = new LinkedHashSet<>();
        for (String s : YamlFiles.strings(match.get("source"), where + ": source")) {
            try {
                sources.add(AlertSource.valueOf(s.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": source '" + s + "' is not one of " + List.of(AlertSource.values()));
            }
        }
        Pattern nameRegex = regex(YamlFiles.scalar(match.get("nameRegex"), where + ": nameRegex"), where + ": nameRegex");
        Map<String, Pattern> labelsRegex = new LinkedHashMap<>();
        YamlFiles.stringMap(match.get("labelsRegex"), where + ": labelsRegex")
                .forEach((k, v) -> labelsRegex.put(k, regex(v, where + ": labelsRegex." + k)));

        Map<String, Object> set = YamlFiles.mapping(rule.get("set"), where + ": set");
        YamlFiles.onlyKeys(set, SET_KEYS, where + ": set");
        String category = YamlFiles.scalar(set.get("category"), where + ": set.category");
        if (category == null || !CATEGORY.matcher(category).matches()) {
            throw new IllegalArgumentException(where + ": set.category is required, lower case (e.g. database, compute, "
                    + "network, security, capacity), got '" + category + "'");
        }
        Severity severity = null;
        String rawSeverity = YamlFiles.scalar(set.get("severity"), where + ": set.severity");
        if (rawSeverity != null) {
            try {
                severity = Severity.valueOf(rawSeverity.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": set.severity '" + rawSeverity + "' is not one of " + List.of(Severity.values()));
            }
        }
        String playbook = YamlFiles.scalar(set.get("playbook"), where + ": set.playbook");
        if (playbook != null && !knownPlaybook.test(playbook)) {
            throw new IllegalArgumentException(where + ": set.playbook '" + playbook + "' is not in the playbooks file");
        }
        return new ClassificationRule(name, sources, new LinkedHashSet<>(YamlFiles.strings(match.get("name"), where + ": name")),
                nameRegex, new LinkedHashSet<>(YamlFiles.strings(match.get("metricNamespace"), where + ": metricNamespace")),
                new LinkedHashSet<>(YamlFiles.strings(match.get("metricName"), where + ": metricName")),
                YamlFiles.stringMap(match.get("labels"), where + ": labels"), labelsRegex, category, severity, playbook);
    }

    private static Pattern regex(String value, String where) {
        if (value == null) {
            return null;
        }
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + ": '" + value + "' is not a valid regular expression ("
                    + e.getDescription() + " near index " + e.getIndex() + ")");
        }
    }

    /** The first matching rule's classification, or {@code unclassified}. */
    public Classification classify(Alert alert) {
        for (ClassificationRule rule : inOrder) {
            if (rule.matches(alert)) {
                return new Classification(rule.name(), rule.category(),
                        rule.severity() != null ? rule.severity() : alert.getSeverity(),
                        alert.getPlaybook() != null ? alert.getPlaybook() : rule.playbook());
            }
        }
        return new Classification(null, Classification.UNCLASSIFIED, alert.getSeverity(), alert.getPlaybook());
    }

    public List<ClassificationRule> rules() {
        return rules;
    }

    public String origin() {
        return origin;
    }
}
