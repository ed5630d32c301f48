package dev.nightshift.workers.playbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A text with variables, {@code ${incident.resource}} or {@code ${alert.labels.TableName}}: rendered
 * against a run's {@link Variables}. A variable with no value renders as nothing ({@link #missing}
 * says which ones had none, so a step can be refused for a missing input instead of running on an
 * empty one). {@code $$} writes a dollar sign.
 */
public final class Template {
    private final String source;
    /** Literal text and variable names, in turn: even indexes are text, odd ones names. */
    private final List<String> parts;

    private Template(String source, List<String> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** Parses {@code source}; an unclosed or empty {@code ${}} is refused with where it is. */
    public static Template parse(String source) {
        List<String> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '$' && i + 1 < source.length() && source.charAt(i + 1) == '$') {
                text.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < source.length() && source.charAt(i + 1) == '{') {
                int end = source.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("'${' at " + i + " is never closed in \"" + source + "\"");
                }
                String name = source.substring(i + 2, end).trim();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("an empty '${}' at " + i + " in \"" + source + "\"");
                }
                parts.add(text.toString());
                parts.add(name);
                text.setLength(0);
                i = end + 1;
            } else {
                text.append(c);
                i++;
            }
        }
        parts.add(text.toString());
        return new Template(source, List.copyOf(parts));
    }

    public static Template literal(String text) {
        return new Template(text.replace("$", "$$"), List.of(text));
    }

    /** The text with every variable replaced by its value (nothing for a variable with none). */
    public String render(Variables variables) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            out.append(i % 2 == 0 ? parts.get(i) : variables.get(parts.get(i)).orElse(""));
        }
        return out.toString();
    }

    /** The variables this template uses that have no value. */
    public Set<String> missing(Variables variables) {
        Set<String> missing = new LinkedHashSet<>();
        for (String name : variables()) {
            if (variables.get(name).filter(v -> !v.isEmpty()).isEmpty()) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** The names of the variables it uses, in order. */
    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 1; i < parts.size(); i += 2) {
            names.add(parts.get(i));
        }
        return names;
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
