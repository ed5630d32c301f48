package dev.nightshift.workers.action;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

import java.util.Map;

/**
 * Forces a new deployment of an ECS service, replacing its tasks with fresh ones of the same task
 * definition. Parameters: {@code cluster} and {@code service}, or a resource {@code ecs:CLUSTER/SERVICE}.
 */
public final class EcsForceDeploymentAction implements RemediationAction {
    private final EcsClient ecs;

    public EcsForceDeploymentAction(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public String name() {
        return "ecs-force-deployment";
    }

    @Override
    public String plan(Step step) {
        String[] target = target(step);
        return "force a new deployment of ECS service " + target[1] + " in cluster " + target[0];
    }

    @Override
    public Change execute(Step step) {
        String[] target = target(step);
        Service service = ecs.updateService(b -> b.cluster(target[0]).service(target[1]).forceNewDeployment(true)).service();
        return new Change("forced a new deployment of " + target[0] + "/" + target[1],
                Map.of(), Map.of("taskDefinition", String.valueOf(service.taskDefinition()),
                "desiredCount", String.valueOf(service.desiredCount())));
    }

    private static String[] target(Step step) {
        String cluster = step.parameters().get("cluster");
        String service = step.parameters().get("service");
        if (cluster != null && service != null) {
            return new String[]{cluster, service};
        }
        String resource = step.resource();
        if (resource != null) {
            String path = resource.startsWith("ecs:") ? resource.substring(4) : resource;
            path = path.startsWith("service/") ? path.substring("service/".length()) : path;
            String[] parts = path.split("/");
            if (parts.length == 2) {
                return parts;
            }
        }
        throw new Step.InvalidStepException("step needs parameters 'cluster' and 'service' or a resource ecs:CLUSTER/SERVICE");
    }
}
