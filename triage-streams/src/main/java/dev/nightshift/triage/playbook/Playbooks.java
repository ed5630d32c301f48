package dev.nightshift.triage.playbook;

import dev.nightshift.topics.TopicNames;
import dev.nightshift.triage.YamlFiles;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The playbooks file: {@code playbooks:} maps a playbook name to its {@code steps}, each with an
 * {@code action}, {@code parameters} and optional {@code guardrails}. A bad file fails at load with
 * a message naming the playbook and the problem.
 */
public final class Playbooks {
    public static final String BUNDLED = "triage/playbooks.yaml";
    private static final Set<String> TOP = Set.of("playbooks");
    private static final Set<String> PLAYBOOK_KEYS = Set.of("description", "steps");
    private static final Set<String> STEP_KEYS = Set.of("action", "parameters", "guardrails");

    private final String origin;
    private final Map<String, Playbook> byName;

    private Playbooks(String origin, Map<String, Playbook> byName) {
        this.origin = origin;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The file at {@code file}, or the bundled playbooks when it is blank. */
    public static Playbooks load(String file) {
        YamlFiles.Loaded loaded = YamlFiles.load(file, BUNDLED);
        return parse(loaded.origin(), loaded.root());
    }

    public static Playbooks of(Playbook... playbooks) {
        Map<String, Playbook> map = new LinkedHashMap<>();
        for (Playbook p : playbooks) {
            map.put(p.name(), p);
        }
        return new Playbooks("inline", map);
    }

    static Playbooks parse(String origin, Map<String, Object> root) {
        YamlFiles.onlyKeys(root, TOP, origin);
        Map<String, Playbook> byName = new LinkedHashMap<>();
        YamlFiles.mapping(root.get("playbooks"), origin + ": playbooks").forEach((rawName, rawBody) -> {
            String name = String.valueOf(rawName);
            String where = origin + ": playbook '" + name + "'";
            Map<String, Object> body = YamlFiles.mapping(rawBody, where);
            YamlFiles.onlyKeys(body, PLAYBOOK_KEYS, where);
            List<?> rawSteps = YamlFiles.list(body.get("steps"), where + ": steps");
            if (rawSteps.isEmpty()) {
                throw new IllegalArgumentException(where + ": has no steps");
            }
            List<PlaybookStep> steps = new java.util.ArrayList<>();
            for (int i = 0; i < rawSteps.size(); i++) {
                String stepWhere = where + ": step " + i;
                Map<String, Object> step = YamlFiles.mapping(rawSteps.get(i), stepWhere);
                YamlFiles.onlyKeys(step, STEP_KEYS, stepWhere);
                String action = YamlFiles.scalar(step.get("action"), stepWhere + ": action");
                if (!TopicNames.isLegalPart(action)) {
                    throw new IllegalArgumentException(stepWhere + ": action '" + action
                            + "' is missing or not usable in a topic name (letters, digits, '.', '_', '-')");
                }
                steps.add(new PlaybookStep(action, YamlFiles.stringMap(step.get("parameters"), stepWhere + ": parameters"),
                        YamlFiles.stringMap(step.get("guardrails"), stepWhere + ": guardrails")));
            }
            byName.put(name, new Playbook(name, YamlFiles.scalar(body.get("description"), where), steps));
        });
        return new Playbooks(origin, byName);
    }

    public Optional<Playbook> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    public boolean contains(String name) {
        return name != null && byName.containsKey(name);
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** Every action any step uses: the action topics to create before the app starts. */
    public Set<String> actions() {
        Set<String> actions = new LinkedHashSet<>();
        byName.values().forEach(p -> p.steps().forEach(s -> actions.add(s.action())));
        return actions;
    }

    public String origin() {
        return origin;
    }
}
