package dev.nightshift.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a README's settings table against the one place the defaults live: a settings class's
 * field initializers, read through its getters. A row is {@code | `VARIABLE` | `default` | meaning |};
 * a default cell that is empty or starts with "(" (a described fallback such as "(empty)") means no
 * value. Every getter of the class must have its row and every row with the class's prefix must
 * name a getter, so the table and the code cannot drift apart in either direction.
 */
public final class SettingsTable {
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([A-Z][A-Z0-9_]*)`\\s*\\|([^|]*)\\|");
    private static final Pattern TICKED = Pattern.compile("`([^`]*)`");

    private SettingsTable() {
    }

    /** The documented default of every variable in the README's tables, as written ("" for none). */
    public static Map<String, String> read(Path readme) {
        Map<String, String> rows = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(readme)) {
                Matcher row = ROW.matcher(line.trim());
                if (row.find()) {
                    rows.put(row.group(1), documented(row.group(2).trim()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * The disagreements between the README and {@code settings} (empty when they agree).
     *
     * @param prefix       the variables' prefix, e.g. {@code TRIAGE_}: property {@code reopenWindow} is {@code TRIAGE_REOPEN_WINDOW}
     * @param renamed      property to variable, for a property whose variable does not follow that rule
     * @param alsoDocumented variables with the prefix whose default lives elsewhere, with that default
     * @param shownAs      a value's text in the README where it is not its {@code toString}, e.g. the JVM's temp dir
     */
    public static List<String> disagreements(Path readme, Object settings, String prefix, Map<String, String> renamed,
                                             Map<String, String> alsoDocumented, Map<String, String> shownAs) {
        return disagreements(readme, settings, prefix, renamed, alsoDocumented, shownAs, Set.of());
    }

    /** As above, leaving out the {@code ignored} properties (documented otherwise, such as a map of pass-through settings). */
    public static List<String> disagreements(Path readme, Object settings, String prefix, Map<String, String> renamed,
                                             Map<String, String> alsoDocumented, Map<String, String> shownAs, Set<String> ignored) {
        Map<String, String> documented = read(readme);
        Map<String, String> actual = new TreeMap<>(alsoDocumented);
        for (Map.Entry<String, Object> property : properties(settings).entrySet()) {
            if (ignored.contains(property.getKey())) {
                continue;
            }
            String variable = renamed.getOrDefault(property.getKey(), prefix + upperSnake(property.getKey()));
            String value = render(property.getValue());
            actual.put(variable, shownAs.getOrDefault(value, value));
        }
        List<String> problems = new ArrayList<>();
        actual.forEach((variable, value) -> {
            if (!documented.containsKey(variable)) {
                problems.add(variable + " (default '" + value + "') is not in " + readme);
            } else if (!documented.get(variable).equals(value)) {
                problems.add(variable + ": " + readme + " says '" + documented.get(variable) + "', the code's default is '" + value + "'");
            }
        });
        Set<String> known = actual.keySet();
        documented.keySet().stream()
                .filter(v -> v.startsWith(prefix) && !known.contains(v))
                .forEach(v -> problems.add(v + " is in " + readme + " but is not a setting of " + settings.getClass().getSimpleName()));
        return problems;
    }

    /** The class's settings: each public getter it declares, by property name. */
    public static Map<String, Object> properties(Object settings) {
        Map<String, Object> properties = new TreeMap<>();
        for (Method method : settings.getClass().getDeclaredMethods()) {
            String name = method.getName();
            if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 0) {
                continue;
            }
            String property;
            if (name.startsWith("get") && name.length() > 3) {
                property = name.substring(3);
            } else if (name.startsWith("is") && name.length() > 2 && method.getReturnType() == boolean.class) {
                property = name.substring(2);
            } else {
                continue;
            }
            try {
                properties.put(Character.toLowerCase(property.charAt(0)) + property.substring(1), method.invoke(settings));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + name + " of " + settings.getClass().getName(), e);
            }
        }
        return properties;
    }

    /** The variable of a property by the naming rule: {@code reopenWindow} with prefix {@code TRIAGE_} is {@code TRIAGE_REOPEN_WINDOW}. */
    public static String variable(String prefix, String property) {
        return prefix + upperSnake(property);
    }

    static String upperSnake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    static String render(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Duration d) {
            return d.toString();
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).sorted().collect(Collectors.joining(","));
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty() ? "" : m.toString();
        }
        return String.valueOf(value);
    }

    private static String documented(String cell) {
        if (cell.isEmpty() || cell.startsWith("(")) {
            return "";
        }
        Matcher ticked = TICKED.matcher(cell);
        return ticked.find() ? ticked.group(1) : cell;
    }
}
