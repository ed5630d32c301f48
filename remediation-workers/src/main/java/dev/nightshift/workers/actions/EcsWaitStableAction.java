package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Waits for an ECS service's rollout: the deployment (the one named by {@code deploymentId}, else the primary one)
 * COMPLETED is done, FAILED is a failure, anything else is looked at again later. Naming the deployment matters when
 * the deployment circuit breaker rolls back: the rollback becomes the primary deployment and completes, while the
 * deployment the playbook started failed. Without a rollout state (a CODE_DEPLOY or EXTERNAL controller), the
 * service is stable when it has one deployment and runs all its desired tasks. How long to wait is the runner's to
 * decide; the results say how long it has been.
 */
public final class EcsWaitStableAction implements RemediationAction {
    static final long DEFAULT_CHECK_AFTER_SECONDS = 15;

    private static final ActionSpec SPEC = new ActionSpec("ecs-wait-stable", ActionSpec.Kind.READ,
            Map.of("cluster", EcsService.CLUSTER, "service", EcsService.SERVICE),
            Map.of("deploymentId", "the deployment to wait for, e.g. ${steps.remediate.deploymentId} (default: the primary deployment)",
                    "checkAfterSeconds", "seconds between looks (default 15)"),
            false);

    private final EcsClient ecs;
    private final Clock clock;

    public EcsWaitStableAction(EcsClient ecs, Clock clock) {
        this.ecs = ecs;
        this.clock = clock;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public String plan(Step step) {
        EcsService target = EcsService.of(step);
        checkAfter(step);
        String deployment = step.optional("deploymentId", null);
        return "wait until " + (deployment == null ? "the primary deployment" : "deployment " + deployment)
                + " of ECS service " + target + " has completed its rollout";
    }

    @Override
    public ActionResult execute(Step step) {
        return look(step);
    }

    @Override
    public ActionResult check(Step step) {
        return look(step);
    }

    private ActionResult look(Step step) {
        EcsService target = EcsService.of(step);
        Duration checkAfter = checkAfter(step);
        String wanted = step.optional("deploymentId", null);
        Map<String, String> results = new HashMap<>();
        results.put("elapsedSeconds", Long.toString(step.startedAt() == null ? 0
                : Math.max(0, Duration.between(step.startedAt(), clock.instant()).toSeconds())));
        Optional<Service> found = target.describe(ecs);
        if (found.isEmpty()) {
            return ActionResult.failed("ECS service " + target + " was not found", Map.of(), results);
        }
        Service service = found.get();
        Optional<Deployment> watched = wanted == null ? EcsService.primary(service)
                : service.deployments().stream().filter(d -> wanted.equals(d.id())).findFirst();
        if (watched.isEmpty()) {
            return ActionResult.failed(wanted == null ? "ECS service " + target + " has no primary deployment"
                    : "deployment " + wanted + " is no longer among the deployments of " + target + " (replaced)", Map.of(), results);
        }
        Deployment deployment = watched.get();
        results.put("deploymentId", deployment.id());
        results.put("deploymentStatus", String.valueOf(deployment.status()));
        results.put("rolloutState", deployment.rolloutState() == null ? "" : deployment.rolloutStateAsString());
        results.put("runningCount", Integer.toString(deployment.runningCount()));
        results.put("desiredCount", Integer.toString(deployment.desiredCount()));
        String progress = String.format("%d of %d tasks running", deployment.runningCount(), deployment.desiredCount());
        DeploymentRolloutState state = deployment.rolloutState();
        if (state == DeploymentRolloutState.COMPLETED) {
            return ActionResult.read("deployment " + deployment.id() + " of " + target + " completed its rollout (" + progress + ")", results);
        }
        if (state == DeploymentRolloutState.FAILED) {
            String reason = deployment.rolloutStateReason() == null ? "" : ": " + deployment.rolloutStateReason();
            return ActionResult.failed("deployment " + deployment.id() + " of " + target + " failed" + reason, Map.of(), results);
        }
        if (state == null && service.deployments().size() == 1 && deployment.runningCount().equals(deployment.desiredCount())) {
            return ActionResult.read("ECS service " + target + " is stable (" + progress + ")", results);
        }
        return ActionResult.waiting("deployment " + deployment.id() + " of " + target + " is still rolling out (" + progress + ")",
                results, checkAfter);
    }

    private static Duration checkAfter(Step step) {
        return Duration.ofSeconds(Numbers.whole(step, "checkAfterSeconds", DEFAULT_CHECK_AFTER_SECONDS, 1, 3600));
    }
}
