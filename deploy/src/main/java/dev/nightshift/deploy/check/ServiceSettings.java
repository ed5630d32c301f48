package dev.nightshift.deploy.check;

import dev.nightshift.triage.service.TriageConfig;
import dev.nightshift.workers.WorkersConfig;
import dev.nightshift.workers.runner.RunnerConfig;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.core.type.Argument;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The settings {@code ./pipeline check} shares with the services, read as the services read them: each
 * property from its environment variable ({@code workers.dry-run-actions} from {@code WORKERS_DRY_RUN_ACTIONS}),
 * converted by Micronaut's conversion service (so {@code WORKERS_DRY_RUN=no} is false and {@code 1h} a duration
 * there as here), into the services' own settings classes, where the defaults stay. A value the service could
 * not bind is refused, naming the variable.
 *
 * @param triage  the default team, the rules and playbooks files, the incident lifecycle's windows
 * @param runner  the playbooks file, the approval timeout, the blast-radius limits and the circuit breaker
 * @param workers dry-run, globally and per action
 */
public record ServiceSettings(TriageConfig triage, RunnerConfig runner, WorkersConfig workers) {

    public static ServiceSettings from(UnaryOperator<String> env) {
        Binder bind = new Binder(env);
        TriageConfig triage = new TriageConfig();
        bind.set("triage.default-team", String.class, triage::setDefaultTeam);
        bind.set("triage.rules-file", String.class, triage::setRulesFile);
        bind.set("triage.playbooks-file", String.class, triage::setPlaybooksFile);
        bind.set("triage.reopen-window", Duration.class, triage::setReopenWindow);
        bind.set("triage.flap-transitions", Integer.class, triage::setFlapTransitions);
        bind.set("triage.flap-window", Duration.class, triage::setFlapWindow);
        bind.set("triage.expire-after", Duration.class, triage::setExpireAfter);
        RunnerConfig runner = new RunnerConfig();
        bind.set("workers.runner.playbooks-file", String.class, runner::setPlaybooksFile);
        bind.set("workers.runner.approval-timeout", Duration.class, runner::setApprovalTimeout);
        bind.set("workers.runner.blast-radius-per-resource", Integer.class, runner::setBlastRadiusPerResource);
        bind.set("workers.runner.blast-radius-per-action", Integer.class, runner::setBlastRadiusPerAction);
        bind.set("workers.runner.blast-radius-window", Duration.class, runner::setBlastRadiusWindow);
        bind.set("workers.runner.circuit-breaker-failures", Integer.class, runner::setCircuitBreakerFailures);
        WorkersConfig workers = new WorkersConfig();
        bind.set("workers.dry-run", Boolean.class, workers::setDryRun);
        bind.set("workers.dry-run-actions", Argument.setOf(String.class), workers::setDryRunActions);
        return new ServiceSettings(triage, runner, workers);
    }

    /** The environment variable of a property: upper case, '.' and '-' become '_'. */
    public static String variable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private record Binder(UnaryOperator<String> env) {
        <T> void set(String property, Class<T> type, Consumer<T> setter) {
            set(property, Argument.of(type), setter);
        }

        <T> void set(String property, Argument<T> type, Consumer<T> setter) {
            String name = variable(property);
            String value = env.apply(name);
            if (value == null || value.isBlank()) {
                return;
            }
            T converted = ConversionService.SHARED.convert(value, type).orElseThrow(() ->
                    new IllegalArgumentException(name + "='" + value + "' is not " + describe(type)));
            setter.accept(converted);
        }

        private static String describe(Argument<?> type) {
            if (type.getType() == Duration.class) {
                return "a duration (PT1H, 30m)";
            }
            if (type.getType() == Integer.class) {
                return "a whole number";
            }
            return type.getType() == Set.class ? "a comma-separated list" : "a " + type.getType().getSimpleName();
        }
    }
}
