package dev.nightshift.workers.playbook;

import dev.nightshift.commands.People;
import dev.nightshift.config.YamlFiles;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.workers.actions.ActionSpec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The playbooks file, read and checked whole: {@code playbooks:} maps a playbook's name (the one
 * classification rules give) to its {@code description} and ordered {@code steps}. A step has a
 * {@code name} (default: its action's; unique in the playbook), an {@code action} with
 * {@code parameters} (templates, see {@link Template} and {@link TemplateNames}) or
 * {@code manual: true} with {@code instructions}, and optionally {@code when} (a {@link Condition}),
 * {@code approval} ({@code never}, {@code always}, or {@code {in: [prod], required: 1, approvers: [...]}}),
 * {@code timeout} (ISO-8601) and {@code onFailure} ({@code stop}, {@code continue}, {@code escalate};
 * the default is {@code continue} for an action that only reads, such as enrichment, which never
 * blocks a fix, and {@code stop} otherwise). Every problem is reported, each naming the file, the
 * playbook, the step and what is wrong: an unknown action or parameter, an unknown template
 * variable, a bad approval policy.
 */
public final class Playbooks {
    /** The shipped playbooks (in the schemas module's resources, where triage reads their names too). */
    public static final String SHIPPED = "nightshift/playbooks.yaml";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final Set<String> TOP = Set.of("playbooks");
    private static final Set<String> PLAYBOOK_KEYS = Set.of("description", "steps");
    private static final Set<String> STEP_KEYS = Set.of("name", "action", "manual", "instructions", "parameters", "when",
            "approval", "timeout", "onFailure");
    private static final Set<String> APPROVAL_KEYS = Set.of("in", "required", "approvers");

    private final String origin;
    private final Map<String, Playbook> byName;

    private Playbooks(String origin, Map<String, Playbook> byName) {
        this.origin = origin;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The file at {@code file} (the shipped playbooks when blank); a file with any problem is refused, naming them all. */
    public static Playbooks load(String file, Function<String, Optional<ActionSpec>> actions) {
        Read read = read(file, actions);
        if (!read.problems().isEmpty()) {
            throw new IllegalArgumentException("the playbooks are not valid:\n  " + String.join("\n  ", read.problems()));
        }
        return read.playbooks();
    }

    /** Every problem of the file at {@code file} (the shipped playbooks when blank); empty when it is valid. */
    public static List<String> problems(String file, Function<String, Optional<ActionSpec>> actions) {
        try {
            return read(file, actions).problems();
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
    }

    /** What a file holds: its playbooks, and its problems. */
    public record Read(Playbooks playbooks, List<String> problems) {
    }

    public static Read read(String file, Function<String, Optional<ActionSpec>> actions) {
        YamlFiles.Loaded loaded = YamlFiles.load(file, SHIPPED);
        return parse(loaded.origin(), loaded.root(), actions);
    }

    public static Read parse(String origin, Map<String, Object> root, Function<String, Optional<ActionSpec>> actions) {
        List<String> problems = new ArrayList<>();
        Map<String, Playbook> byName = new LinkedHashMap<>();
        try {
            YamlFiles.onlyKeys(root, TOP, origin);
            YamlFiles.mapping(root.get("playbooks"), origin + ": playbooks").forEach((rawName, rawBody) -> {
                String name = String.valueOf(rawName);
                String where = origin + ": playbook '" + name + "'";
                try {
                    Map<String, Object> body = YamlFiles.mapping(rawBody, where);
                    YamlFiles.onlyKeys(body, PLAYBOOK_KEYS, where);
                    List<?> rawSteps = YamlFiles.list(body.get("steps"), where + ": steps");
                    if (rawSteps.isEmpty()) {
                        problems.add(where + ": has no steps");
                        return;
                    }
                    List<PlaybookStep> steps = new ArrayList<>();
                    for (int i = 0; i < rawSteps.size(); i++) {
                        step(where, i, rawSteps.get(i), steps, actions, problems).ifPresent(steps::add);
                    }
                    byName.put(name, new Playbook(name, YamlFiles.scalar(body.get("description"), where + ": description"), steps));
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            });
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return new Read(new Playbooks(origin, byName), List.copyOf(problems));
    }

    private static Optional<PlaybookStep> step(String playbookWhere, int index, Object raw, List<PlaybookStep> earlier,
                                               Function<String, Optional<ActionSpec>> actions, List<String> problems) {
        Map<String, Object> step = YamlFiles.mapping(raw, playbookWhere + ": step #" + (index + 1));
        String action = YamlFiles.scalar(step.get("action"), playbookWhere + ": step #" + (index + 1) + ": action");
        String name = Optional.ofNullable(YamlFiles.scalar(step.get("name"), playbookWhere + ": step #" + (index + 1) + ": name"))
                .orElse(action);
        String where = playbookWhere + ": step '" + (name == null ? "#" + (index + 1) : name) + "'";
        int before = problems.size();
        try {
            YamlFiles.onlyKeys(step, STEP_KEYS, where);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        List<String> earlierNames = earlier.stream().map(PlaybookStep::name).toList();
        if (name == null || !name.matches("[a-z0-9][a-z0-9_-]*")) {
            problems.add(where + ": a step needs a name (or an action to name it after) of lower-case letters, digits, '-' and '_'");
        } else if (earlierNames.contains(name)) {
            problems.add(where + ": two steps are named '" + name + "'; give one a name of its own");
        }
        boolean manual = Boolean.parseBoolean(String.valueOf(step.getOrDefault("manual", "false")));
        Optional<ActionSpec> spec = Optional.empty();
        Template instructions = null;
        Map<String, Template> parameters = new LinkedHashMap<>();
        if (manual) {
            if (action != null || step.containsKey("parameters")) {
                problems.add(where + ": a manual step has instructions, not an action or parameters");
            }
            String text = YamlFiles.scalar(step.get("instructions"), where + ": instructions");
            if (text == null || text.isBlank()) {
                problems.add(where + ": a manual step needs instructions for the responder");
            } else {
                instructions = template(text, where + ": instructions", earlierNames, problems);
            }
        } else {
            if (action == null || !TopicNames.isLegalPart(action)) {
                problems.add(where + ": needs an action (or manual: true)");
            } else {
                spec = actions.apply(action);
                if (spec.isEmpty()) {
                    problems.add(where + ": unknown action '" + action + "'");
                }
            }
            if (step.containsKey("instructions")) {
                problems.add(where + ": instructions belong to a manual step");
            }
            for (Map.Entry<String, String> parameter : YamlFiles.stringMap(step.get("parameters"), where + ": parameters").entrySet()) {
                String key = parameter.getKey();
                if (spec.isPresent() && !spec.get().takes(key)) {
                    problems.add(where + ": action '" + action + "' takes no parameter '" + key + "' (it takes "
                            + new java.util.TreeSet<>(allParameters(spec.get())) + ")");
                }
                Template template = template(parameter.getValue() == null ? "" : parameter.getValue(),
                        where + ": parameter '" + key + "'", earlierNames, problems);
                if (template != null) {
                    parameters.put(key, template);
                }
            }
        }
        Condition when = Condition.ALWAYS;
        String whenText = YamlFiles.scalar(step.get("when"), where + ": when");
        if (whenText != null) {
            try {
                when = Condition.parse(whenText);
                for (String variable : when.variables()) {
                    TemplateNames.problem(variable, earlierNames).ifPresent(p -> problems.add(where + ": when: " + p));
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + ": when: " + e.getMessage());
            }
        }
        boolean reads = spec.map(s -> !s.changes()).orElse(false);
        ApprovalPolicy approval = approval(step.get("approval"), where, problems);
        if (approval.mode() != ApprovalPolicy.Mode.NEVER && (manual || reads)) {
            problems.add(where + ": " + (manual ? "a manual step" : "action '" + action + "' only reads; it")
                    + " changes nothing and needs no approval");
        }
        Duration timeout = DEFAULT_TIMEOUT;
        String timeoutText = YamlFiles.scalar(step.get("timeout"), where + ": timeout");
        if (timeoutText != null) {
            try {
                timeout = Duration.parse(timeoutText);
                if (timeout.isNegative() || timeout.isZero()) {
                    problems.add(where + ": timeout must be positive, was " + timeoutText);
                }
            } catch (DateTimeParseException e) {
                problems.add(where + ": timeout '" + timeoutText + "' is not an ISO-8601 duration (PT10M, PT1H)");
            }
        }
        FailurePolicy onFailure = reads ? FailurePolicy.CONTINUE : FailurePolicy.STOP;
        String failureText = YamlFiles.scalar(step.get("onFailure"), where + ": onFailure");
        if (failureText != null) {
            try {
                onFailure = FailurePolicy.valueOf(failureText.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(where + ": onFailure '" + failureText + "' is not one of stop, continue, escalate");
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new PlaybookStep(index, name, manual ? null : action, manual, instructions, parameters, when, approval,
                timeout, onFailure));
    }

    private static Set<String> allParameters(ActionSpec spec) {
        Set<String> names = new LinkedHashSet<>(spec.required().keySet());
        names.addAll(spec.optional().keySet());
        return names;
    }

    private static Template template(String text, String where, List<String> earlierSteps, List<String> problems) {
        try {
            Template template = Template.parse(text);
            for (String variable : template.variables()) {
                TemplateNames.problem(variable, earlierSteps).ifPresent(p -> problems.add(where + ": unknown template variable " + p));
            }
            return template;
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
    }

    private static ApprovalPolicy approval(Object raw, String where, List<String> problems) {
        if (raw == null || "never".equals(raw)) {
            return ApprovalPolicy.NEVER;
        }
        if ("always".equals(raw)) {
            return new ApprovalPolicy(ApprovalPolicy.Mode.ALWAYS, Set.of(), 1, List.of());
        }
        if (!(raw instanceof Map<?, ?>)) {
            problems.add(where + ": approval must be never, always, or {in: [environments], required: N, approvers: [...]}, was '"
                    + raw + "'");
            return ApprovalPolicy.NEVER;
        }
        Map<String, Object> policy = YamlFiles.mapping(raw, where + ": approval");
        try {
            YamlFiles.onlyKeys(policy, APPROVAL_KEYS, where + ": approval");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        List<String> environments = YamlFiles.strings(policy.get("in"), where + ": approval: in").stream()
                .map(e -> e.trim().toLowerCase(Locale.ROOT)).toList();
        if (policy.containsKey("in") && environments.isEmpty()) {
            problems.add(where + ": approval: in names no environment");
        }
        int required = 1;
        Object rawRequired = policy.get("required");
        if (rawRequired != null) {
            try {
                required = Integer.parseInt(String.valueOf(rawRequired).trim());
            } catch (NumberFormatException e) {
                required = 0;
            }
            if (required < 1) {
                problems.add(where + ": approval: required must be a whole number of people, at least 1, was '" + rawRequired + "'");
            }
        }
        List<String> approvers = YamlFiles.strings(policy.get("approvers"), where + ": approval: approvers");
        for (String approver : approvers) {
            if (!People.isPerson(approver)) {
                problems.add(where + ": approval: approvers: '" + approver + "' is neither a Slack user id (U0123ABCD) nor an e-mail address");
            }
        }
        if (!approvers.isEmpty() && required > approvers.size()) {
            problems.add(where + ": approval: required is " + required + " but only " + approvers.size() + " approver(s) are named");
        }
        return new ApprovalPolicy(environments.isEmpty() ? ApprovalPolicy.Mode.ALWAYS : ApprovalPolicy.Mode.IN_ENVIRONMENTS,
                Set.copyOf(environments), Math.max(required, 1), approvers);
    }

    public Optional<Playbook> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** Every action a step uses: the action topics to create. */
    public Set<String> actions() {
        Set<String> actions = new LinkedHashSet<>();
        byName.values().forEach(p -> p.steps().stream().filter(s -> !s.manual()).forEach(s -> actions.add(s.action())));
        return actions;
    }

    public String origin() {
        return origin;
    }
}
