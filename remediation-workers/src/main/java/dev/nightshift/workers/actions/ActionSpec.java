package dev.nightshift.workers.actions;

import java.util.Map;
import java.util.Objects;

/**
 * What an action is, for playbooks and their checks: its name, whether it changes the outside world
 * (CHANGE: guarded by approval, blast radius and the circuit breaker, run at most once) or only reads
 * it (READ: enrichment and waits, never blocking a fix), the parameters it takes (name to meaning;
 * {@code required} must be given, or come from the incident's resource where the meaning says so),
 * and whether a finished step can be undone.
 */
public record ActionSpec(String name, Kind kind, Map<String, String> required, Map<String, String> optional, boolean undoable) {
    public enum Kind { CHANGE, READ }

    public ActionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        required = Map.copyOf(required);
        optional = Map.copyOf(optional);
    }

    /**
     * Whether the action takes a parameter of this name. A name ending in {@code .*} stands for every parameter
     * with that prefix ({@code param.*}: {@code param.InstanceId}, {@code param.AutomationAssumeRole}, ...).
     */
    public boolean takes(String parameter) {
        if (required.containsKey(parameter) || optional.containsKey(parameter)) {
            return true;
        }
        return optional.keySet().stream().filter(name -> name.endsWith(".*"))
                .map(name -> name.substring(0, name.length() - 1))
                .anyMatch(prefix -> parameter.startsWith(prefix) && parameter.length() > prefix.length());
    }

    public boolean changes() {
        return kind == Kind.CHANGE;
    }
}
