package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an ECS service's current and recent deployments (DescribeServices), newest first, numbered
 * ({@code deployment.1.id}, ...), and its primary deployment's id and rollout state: what changed lately, for the
 * notifier and later steps.
 */
public final class EcsDeploymentsAction implements RemediationAction {
    static final long DEFAULT_LAST = 5;

    private static final ActionSpec SPEC = new ActionSpec("ecs-deployments", ActionSpec.Kind.READ,
            Map.of("cluster", EcsService.CLUSTER, "service", EcsService.SERVICE),
            Map.of("last", "how many of the newest deployments to report (default 5)"),
            false);

    private final EcsClient ecs;

    public EcsDeploymentsAction(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public String plan(Step step) {
        last(step);
        return "read the recent deployments of ECS service " + EcsService.of(step);
    }

    @Override
    public ActionResult execute(Step step) {
        EcsService target = EcsService.of(step);
        long last = last(step);
        Optional<Service> found = target.describe(ecs);
        if (found.isEmpty()) {
            return ActionResult.failed("ECS service " + target + " was not found", Map.of(), Map.of());
        }
        Service service = found.get();
        List<Deployment> deployments = service.deployments().stream()
                .sorted(Comparator.comparing(Deployment::createdAt, Comparator.nullsLast(Comparator.reverseOrder()))).toList();
        Map<String, String> results = new HashMap<>();
        results.put("count", Integer.toString(deployments.size()));
        results.put("runningCount", Integer.toString(service.runningCount()));
        results.put("desiredCount", Integer.toString(service.desiredCount()));
        EcsService.primary(service).ifPresent(primary -> {
            results.put("primaryId", primary.id());
            results.put("primaryRolloutState", primary.rolloutState() == null ? "" : primary.rolloutStateAsString());
            results.put("primaryCreatedAt", String.valueOf(primary.createdAt()));
        });
        StringBuilder listed = new StringBuilder();
        for (int i = 0; i < Math.min(last, deployments.size()); i++) {
            Deployment deployment = deployments.get(i);
            String prefix = "deployment." + (i + 1) + ".";
            results.put(prefix + "id", deployment.id());
            results.put(prefix + "status", String.valueOf(deployment.status()));
            results.put(prefix + "rolloutState", deployment.rolloutState() == null ? "" : deployment.rolloutStateAsString());
            results.put(prefix + "createdAt", String.valueOf(deployment.createdAt()));
            results.put(prefix + "taskDefinition", String.valueOf(deployment.taskDefinition()));
            results.put(prefix + "runningCount", Integer.toString(deployment.runningCount()));
            results.put(prefix + "desiredCount", Integer.toString(deployment.desiredCount()));
            listed.append(i == 0 ? ": " : "; ").append(deployment.id()).append(' ').append(deployment.status())
                    .append(deployment.rolloutState() == null ? "" : " " + deployment.rolloutStateAsString())
                    .append(" created ").append(deployment.createdAt());
        }
        return ActionResult.read("ECS service " + target + " has " + deployments.size() + " deployment"
                + (deployments.size() == 1 ? "" : "s") + listed, results);
    }

    private static long last(Step step) {
        return Numbers.whole(step, "last", DEFAULT_LAST, 1, 50);
    }
}
