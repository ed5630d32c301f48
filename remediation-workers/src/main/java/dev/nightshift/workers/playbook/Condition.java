package dev.nightshift.workers.playbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A step's {@code when:}: comparisons of rendered templates, joined by {@code and}, for example
 * {@code ${steps.remediate.mode} == deployment} or {@code ${steps.read.runningCount} < 2 and
 * ${environment} != prod}. {@code ==} and {@code !=} compare text (or numbers, when both sides are
 * numbers); {@code <}, {@code <=}, {@code >}, {@code >=} compare numbers, and a side that is not a
 * number makes the comparison false. No {@code when:} always holds.
 */
public final class Condition {
    public static final Condition ALWAYS = new Condition("", List.of());
    private static final Pattern COMPARISON = Pattern.compile("^(.*?)\\s*(==|!=|<=|>=|<|>)\\s*(.*)$");
    private static final Pattern AND = Pattern.compile("\\s+and\\s+");

    private record Comparison(Template left, String operator, Template right) {
    }

    private final String source;
    private final List<Comparison> comparisons;

    private Condition(String source, List<Comparison> comparisons) {
        this.source = source;
        this.comparisons = comparisons;
    }

    /** Parses a condition; one that is not comparisons joined by {@code and} is refused, saying why. */
    public static Condition parse(String source) {
        if (source == null || source.isBlank()) {
            return ALWAYS;
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (String part : AND.split(source.trim())) {
            Matcher m = COMPARISON.matcher(part.trim());
            if (!m.matches() || m.group(1).isBlank() || m.group(3).isBlank()) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not a comparison (a == b, a != b, a < b, a <= b, a > b, a >= b)");
            }
            comparisons.add(new Comparison(Template.parse(m.group(1).trim()), m.group(2), Template.parse(m.group(3).trim())));
        }
        return new Condition(source.trim(), List.copyOf(comparisons));
    }

    public boolean test(Variables variables) {
        for (Comparison c : comparisons) {
            if (!holds(c.left().render(variables).trim(), c.operator(), c.right().render(variables).trim())) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(String left, String operator, String right) {
        Double a = number(left);
        Double b = number(right);
        return switch (operator) {
            case "==" -> a != null && b != null ? a.equals(b) : left.equals(right);
            case "!=" -> a != null && b != null ? !a.equals(b) : !left.equals(right);
            default -> a != null && b != null && switch (operator) {
                case "<" -> a < b;
                case "<=" -> a <= b;
                case ">" -> a > b;
                default -> a >= b;
            };
        };
    }

    private static Double number(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        comparisons.forEach(c -> {
            names.addAll(c.left().variables());
            names.addAll(c.right().variables());
        });
        return names;
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source.isEmpty() ? "always" : source;
    }
}
