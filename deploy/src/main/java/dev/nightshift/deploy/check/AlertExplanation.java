package dev.nightshift.deploy.check;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.RunnerState;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.triage.classify.Classification;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.triage.ownership.OwnerResolver;
import dev.nightshift.triage.ownership.OwnershipIndex;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.playbook.ApprovalPolicy;
import dev.nightshift.workers.playbook.Condition;
import dev.nightshift.workers.playbook.FailurePolicy;
import dev.nightshift.workers.playbook.Playbook;
import dev.nightshift.workers.playbook.PlaybookStep;
import dev.nightshift.workers.playbook.Playbooks;
import dev.nightshift.workers.playbook.Template;
import dev.nightshift.workers.playbook.Variables;
import dev.nightshift.workers.runner.Guardrails;
import dev.nightshift.workers.runner.PlaybookRunner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the pipeline would do with one alert, worked out by the services' own code without a broker: triage's
 * rules, owner resolution and incident lifecycle make the incident; the runner's environment, variables,
 * templates, conditions and approval policies say how each step of its playbook would be rendered and guarded,
 * with dry-run, the blast radius and the circuit breaker as the workers' settings have them. What only a running
 * pipeline knows (earlier steps' results, a pause, the counts behind the blast radius and the breaker) is named
 * as such, never guessed.
 */
public final class AlertExplanation {
    static {
        // Avro fills in an incident's defaults through the generated classes, which it loads only once they are trusted:
        // the services trust them when their registry serde loads (TrustedSchemas), and so does this.
        new RegistryAvroDeserializer<>().close();
    }

    private final ClassificationRules rules;
    private final Playbooks playbooks;
    private final List<Ownership> ownership;
    private final Function<String, Optional<ActionSpec>> actions;
    private final ServiceSettings settings;

    public AlertExplanation(ClassificationRules rules, Playbooks playbooks, List<Ownership> ownership,
                            Function<String, Optional<ActionSpec>> actions, ServiceSettings settings) {
        this.rules = rules;
        this.playbooks = playbooks;
        this.ownership = ownership;
        this.actions = actions;
        this.settings = settings;
    }

    /** The explanation, a line at a time. */
    public List<String> explain(Alert alert, long now) {
        List<String> out = new ArrayList<>();
        out.add(field("alert", alert.getName() + " (" + alert.getSource().name().toLowerCase(Locale.ROOT) + ", "
                + alert.getState().name().toLowerCase(Locale.ROOT) + ", severity " + alert.getSeverity() + ")"));
        Classification classification = rules.classify(alert);
        out.add(field("rule", classification.rule() == null ? "none matches (" + rules.origin() + ")" : classification.rule()
                + " (" + rules.origin() + ")"));
        out.add(field("category", classification.category()));
        out.add(field("severity", String.valueOf(classification.severity())));
        out.add(field("playbook", classification.playbook() == null ? "none"
                : classification.playbook() + (alert.getPlaybook() != null ? " (the alert names it itself)" : "")));

        OwnershipIndex index = new OwnershipIndex(ownership);
        OwnerResolver resolver = new OwnerResolver(settings.triage().getDefaultTeam());
        Owner owner = resolver.resolve(alert, index);
        out.add(field("owner", describe(owner, index.ownerOf(alert), alert, resolver.defaultTeam())));

        Incident incident = new IncidentLifecycle(LifecycleSettings.defaults()).onAlert(null, alert, classification, owner, now)
                .state().getIncident();
        if (incident == null) {
            out.add(field("incident", "none: a resolved alert opens no incident; it resolves its fingerprint's open one, and "
                    + "the steps of its run not yet started are cancelled"));
            return out;
        }
        OfflineSurroundings world = new OfflineSurroundings(now, playbooks, actions, ownership, settings.workers());
        String environment = PlaybookRunner.environment(incident, world);
        out.add(field("environment", environment == null
                ? "unknown (no env or environment label, and no environment in an ownership entry)"
                : environment + " (" + (hasEnvironmentLabel(alert) ? "the alert's label" : "the ownership entry of " + owner.getService()) + ")"));

        if (incident.getPlaybook() == null) {
            out.add("");
            out.add("no playbook: the incident goes to team " + owner.getTeam() + " and nothing runs");
            return out;
        }
        Optional<Playbook> found = playbooks.find(incident.getPlaybook());
        if (found.isEmpty()) {
            out.add("");
            out.add("playbook '" + incident.getPlaybook() + "' is not in " + playbooks.origin() + ": the runner runs nothing");
            return out;
        }
        Playbook playbook = found.get();
        RunnerState state = PlaybookRunner.newState();
        state.setIncident(incident);
        Variables variables = PlaybookRunner.variables(state, world);
        List<String> approversOfService = world.ownership(owner.getService()).map(Ownership::getApprovers).orElse(List.of());

        out.add("");
        out.add("playbook " + playbook.name() + (playbook.description() == null ? "" : ": " + playbook.description()));
        out.add("  its steps in order, each once the one before it has finished (a pause set with ./pipeline automation pause "
                + "would skip live changes; only a running pipeline knows)");
        for (PlaybookStep step : playbook.steps()) {
            explainStep(step, variables, environment, approversOfService, out);
        }
        return out;
    }

    private void explainStep(PlaybookStep step, Variables variables, String environment, List<String> approversOfService,
                             List<String> out) {
        Optional<ActionSpec> spec = step.manual() ? Optional.empty() : actions.apply(step.action());
        boolean reads = spec.map(s -> !s.changes()).orElse(false);
        out.add("");
        out.add("  " + (step.index() + 1) + ". " + step.name() + ": " + (step.manual() ? "manual, handed over to the responder"
                : "action " + step.action() + (reads ? " (reads only)" : " (changes)")));

        Set<String> missing = new LinkedHashSet<>();
        if (step.manual()) {
            out.add(step("instructions", step.instructions().render(variables) + unknown(step.instructions(), variables, missing)));
        } else {
            Map<String, Template> parameters = new TreeMap<>(step.parameters());
            boolean first = true;
            for (Map.Entry<String, Template> parameter : parameters.entrySet()) {
                out.add(step(first ? "parameters" : "", parameter.getKey() + "=" + parameter.getValue().render(variables)
                        + unknown(parameter.getValue(), variables, missing)));
                first = false;
            }
            if (parameters.isEmpty()) {
                out.add(step("parameters", "none"));
            }
        }
        out.add(step("when", condition(step.when(), variables)));
        if (step.manual() || skipped(step.when(), variables)) {
            return;
        }

        boolean dryRun = settings.workers().dryRunFor(step.action());
        out.add(step("runs", dryRun ? "dry-run: the plan is recorded, no AWS call is made (" + dryRunReason(step.action()) + ")"
                : "live: the workers make the AWS calls (" + dryRunReason(step.action()) + ")"));
        if (reads) {
            out.add(step("approval", "not needed: it only reads"));
            out.add(step("guardrails", "none: it only reads (no blast radius, no circuit breaker)"));
        } else {
            out.add(step("approval", approval(step.approval(), environment, approversOfService, dryRun)));
            out.add(step("guardrails", dryRun ? "the blast radius and the circuit breaker hold live changes only"
                    : blastRadiusAndBreaker(step.action(), settings.runner().limits())));
        }
        out.add(step("on failure", failure(step.onFailure())
                + (reads || step.onFailure() == FailurePolicy.ESCALATE ? "" : "; refused (approval, guardrail, input), it escalates")
                + "; timeout " + step.timeout()));
        if (!missing.isEmpty()) {
            out.add(step("refused", "no value for " + missing + " in this alert: the runner refuses the step (input)"
                    + (reads ? " and the run goes on as its failure policy says (" + step.onFailure().name().toLowerCase(Locale.ROOT) + ")"
                    : " and the run escalates")));
        }
    }

    /** The template's variables with no value, as a note; those of this alert are added to {@code missing}, those of earlier steps are known later. */
    private static String unknown(Template template, Variables variables, Set<String> missing) {
        List<String> notes = new ArrayList<>();
        for (String name : template.missing(variables)) {
            if (name.startsWith("steps.")) {
                notes.add(name + " is known once step '" + name.split("\\.", 3)[1] + "' has run");
            } else {
                missing.add(name);
                notes.add("no value for " + name);
            }
        }
        return notes.isEmpty() ? "" : "   <- " + String.join("; ", notes);
    }

    private static String condition(Condition when, Variables variables) {
        if (when.source().isEmpty()) {
            return "always";
        }
        Set<String> later = new LinkedHashSet<>();
        for (String name : when.variables()) {
            if (name.startsWith("steps.")) {
                later.add(name.split("\\.", 3)[1]);
            }
        }
        if (!later.isEmpty()) {
            return when.source() + ": not known yet; it reads the results of step" + (later.size() == 1 ? " '" + later.iterator().next() + "'"
                    : "s " + later) + ", and the runner tests it when the step's turn comes (false skips it)";
        }
        return when.source() + ": " + (when.test(variables) ? "true for this alert, the step runs" : "false for this alert, the runner skips the step");
    }

    /** Whether the runner would skip the step for this alert: a condition on the alert alone that is false. */
    private static boolean skipped(Condition when, Variables variables) {
        return when.variables().stream().noneMatch(name -> name.startsWith("steps.")) && !when.test(variables);
    }

    private String approval(ApprovalPolicy policy, String environment, List<String> approversOfService, boolean dryRun) {
        if (policy.mode() == ApprovalPolicy.Mode.NEVER) {
            return "not needed (never)";
        }
        String where = policy.mode() == ApprovalPolicy.Mode.ALWAYS ? "in every environment"
                : "in " + policy.environments().stream().sorted().toList();
        if (!policy.requiredIn(environment)) {
            return "not needed " + (environment == null ? "while the environment is unknown" : "in " + environment)
                    + " (needed " + where + ")";
        }
        List<String> approvers = policy.approversFor(approversOfService);
        String who = policy.approvers().isEmpty() ? "the service's ownership entry" : "the step";
        String text = "needs " + policy.required() + " approval" + (policy.required() == 1 ? "" : "s")
                + (policy.mode() == ApprovalPolicy.Mode.ALWAYS ? ", always," : " in " + environment) + " from " + approvers
                + " (" + who + ")";
        if (approvers.size() < policy.required()) {
            text += "; " + (approvers.isEmpty() ? "nobody" : "only " + approvers.size()) + " may give it, so the step would wait until "
                    + "its approval expires (" + settings.runner().getApprovalTimeout() + ") and the run escalates";
        } else {
            text += "; unanswered, it expires after " + settings.runner().getApprovalTimeout() + " and the run escalates";
        }
        return dryRun ? text + ". In dry-run it is not asked: the plan is recorded without it" : text;
    }

    private static String blastRadiusAndBreaker(String action, Guardrails.Limits limits) {
        return "blast radius: at most " + limits.perResource() + " live run" + (limits.perResource() == 1 ? "" : "s") + " of " + action
                + " per resource and " + limits.perAction() + " over all resources per " + limits.window()
                + "; circuit breaker: " + action + " is switched off after " + limits.failuresToOpen()
                + " live runs in a row failed, until a person switches it on (./pipeline actions enable " + action + ")";
    }

    private static String failure(FailurePolicy policy) {
        return switch (policy) {
            case STOP -> "stop: the run stops";
            case CONTINUE -> "continue: the run goes on with the next step";
            case ESCALATE -> "escalate: the run stops and a person is paged";
        };
    }

    private String dryRunReason(String action) {
        if (settings.workers().isDryRun()) {
            return "WORKERS_DRY_RUN is true";
        }
        return settings.workers().dryRunFor(action) ? "WORKERS_DRY_RUN_ACTIONS names " + action
                : "WORKERS_DRY_RUN is false and WORKERS_DRY_RUN_ACTIONS does not name " + action;
    }

    private static String describe(Owner owner, Optional<Ownership> entry, Alert alert, String defaultTeam) {
        String who = "team " + owner.getTeam() + (owner.getService() == null ? "" : ", service " + owner.getService());
        if (entry.isPresent()) {
            String how = entry.get().getService().equals(alert.getService()) ? "the alert's service" : "its resource patterns";
            return who + " (ownership entry '" + entry.get().getService() + "', found by " + how + ")"
                    + (owner.getSlackChannel() == null ? "" : ", Slack " + owner.getSlackChannel())
                    + (owner.getJiraProject() == null ? "" : ", Jira " + owner.getJiraProject());
        }
        return who + (owner.getTeam().equals(defaultTeam) && OwnerResolver.teamName(alert.getTeam()) == null
                ? " (no ownership entry owns it and it names no team: the default team)"
                : " (no ownership entry owns it: the alert's team)");
    }

    private static boolean hasEnvironmentLabel(Alert alert) {
        return alert.getLabels().entrySet().stream().anyMatch(label -> Set.of("env", "environment").contains(label.getKey().toLowerCase(Locale.ROOT))
                && label.getValue() != null && !label.getValue().isBlank());
    }

    private static String field(String name, String value) {
        return String.format("%-12s %s", name, value);
    }

    private static String step(String name, String value) {
        return String.format("     %-12s %s", name, value);
    }
}
