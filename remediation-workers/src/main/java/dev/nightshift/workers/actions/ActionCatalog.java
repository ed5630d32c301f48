package dev.nightshift.workers.actions;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The actions the workers know, by name: what playbooks may name, and what a step request runs. */
public final class ActionCatalog {
    private final Map<String, RemediationAction> actions = new LinkedHashMap<>();

    public ActionCatalog(Collection<? extends RemediationAction> actions) {
        for (RemediationAction action : actions) {
            if (this.actions.putIfAbsent(action.name(), action) != null) {
                throw new IllegalArgumentException("two actions are named " + action.name());
            }
        }
    }

    public Optional<RemediationAction> find(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    public Optional<ActionSpec> spec(String name) {
        return find(name).map(RemediationAction::spec);
    }

    public Set<String> names() {
        return actions.keySet();
    }
}
