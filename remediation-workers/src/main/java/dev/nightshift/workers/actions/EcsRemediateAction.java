package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Helps an unhealthy ECS service: when fewer than half of its desired tasks run, its tasks are failing, so a new
 * deployment replaces them (same task definition); otherwise it is short of capacity, so its desired count grows by
 * {@code increment}, never above {@code maxDesiredCount}. A service scaled to zero is left to a person.
 */
public final class EcsRemediateAction implements RemediationAction {
    static final long DEFAULT_INCREMENT = 2;
    static final long DEFAULT_MAX_DESIRED = 20;

    private static final ActionSpec SPEC = new ActionSpec("ecs-remediate", ActionSpec.Kind.CHANGE,
            Map.of("cluster", EcsService.CLUSTER, "service", EcsService.SERVICE),
            Map.of("increment", "tasks added to the desired count when at least half run (default 2)",
                    "maxDesiredCount", "the desired count is raised to at most this (default 20)"),
            false);

    private final EcsClient ecs;

    public EcsRemediateAction(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public String plan(Step step) {
        EcsService target = EcsService.of(step);
        Limits limits = Limits.of(step);
        return String.format("force a new deployment of ECS service %s if fewer than half of its desired tasks run, "
                + "else raise its desired count by %d (to at most %d)", target, limits.increment, limits.maxDesired);
    }

    @Override
    public ActionResult execute(Step step) {
        EcsService target = EcsService.of(step);
        Limits limits = Limits.of(step);
        Optional<Service> found = target.describe(ecs);
        if (found.isEmpty()) {
            return ActionResult.failed("ECS service " + target + " was not found", Map.of(), Map.of());
        }
        Service service = found.get();
        int running = service.runningCount();
        int desired = service.desiredCount();
        Map<String, String> before = Map.of("runningCount", Integer.toString(running), "desiredCount", Integer.toString(desired));
        if (desired == 0) {
            return ActionResult.failed("ECS service " + target + " is scaled to zero on purpose or by mistake; a person decides",
                    before, before);
        }
        if (running * 2 < desired) {
            Service updated = ecs.updateService(b -> b.cluster(target.cluster()).service(target.service()).forceNewDeployment(true)).service();
            String deployment = EcsService.primary(updated).map(Deployment::id).orElse("");
            return ActionResult.succeeded(String.format("forced a new deployment of %s (%d of %d desired tasks were running): %s",
                    target, running, desired, deployment), before, Map.of("desiredCount", Integer.toString(desired), "deploymentId", deployment),
                    results("deployment", running, desired, desired, deployment), null);
        }
        long newDesired = limits.target(desired);
        String primary = EcsService.primary(service).map(Deployment::id).orElse("");
        if (newDesired <= desired) {
            return ActionResult.succeeded(String.format("ECS service %s already wants %d tasks, at or above the maximum %d; nothing changed",
                    target, desired, limits.maxDesired), before, before, results("none", running, desired, desired, primary), null);
        }
        ecs.updateService(b -> b.cluster(target.cluster()).service(target.service()).desiredCount((int) newDesired));
        return ActionResult.succeeded(String.format("raised the desired count of %s from %d to %d (%d running)", target, desired, newDesired, running),
                before, Map.of("desiredCount", Long.toString(newDesired)), results("scale-out", running, desired, newDesired, primary), null);
    }

    /**
     * The service proves the step done by a deployment created after the step started (the forced deployment), or
     * by a desired count already at the step's maximum while at least half the tasks run (the scale-out's end).
     */
    @Override
    public Optional<ActionResult> recover(Step step) {
        EcsService target = EcsService.of(step);
        Limits limits = Limits.of(step);
        Optional<Service> found = target.describe(ecs);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Service service = found.get();
        int running = service.runningCount();
        int desired = service.desiredCount();
        Instant started = step.startedAt();
        Optional<Deployment> deployed = started == null ? Optional.empty() : service.deployments().stream()
                .filter(d -> d.createdAt() != null && !d.createdAt().isBefore(started))
                .max(Comparator.comparing(Deployment::createdAt));
        if (deployed.isPresent()) {
            String id = deployed.get().id();
            return Optional.of(ActionResult.succeeded(String.format("ECS service %s has deployment %s, created at %s, after the step started",
                    target, id, deployed.get().createdAt()), Map.of(), Map.of("deploymentId", id),
                    results("deployment", running, desired, desired, id), null));
        }
        if (desired >= limits.maxDesired && running * 2 >= desired) {
            String primary = EcsService.primary(service).map(Deployment::id).orElse("");
            return Optional.of(ActionResult.succeeded(String.format("ECS service %s already wants %d tasks, the step's maximum", target, desired),
                    Map.of(), Map.of("desiredCount", Integer.toString(desired)), results("scale-out", running, null, desired, primary), null));
        }
        return Optional.empty();
    }

    /** What later steps read; {@code desired} is the desired count the step found (null when not known). */
    private static Map<String, String> results(String mode, int running, Integer desired, long newDesired, String deployment) {
        Map<String, String> results = new HashMap<>();
        results.put("mode", mode);
        results.put("runningCount", Integer.toString(running));
        if (desired != null) {
            results.put("desiredCount", Integer.toString(desired));
        }
        results.put("desiredCountAfter", Long.toString(newDesired));
        results.put("deploymentId", deployment);
        return results;
    }

    private record Limits(long increment, long maxDesired) {
        static Limits of(Step step) {
            return new Limits(Numbers.whole(step, "increment", DEFAULT_INCREMENT, 1, 1000),
                    Numbers.whole(step, "maxDesiredCount", DEFAULT_MAX_DESIRED, 1, 5000));
        }

        long target(int desired) {
            return Math.min(maxDesired, desired + increment);
        }
    }
}
