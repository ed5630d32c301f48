package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

import java.util.Optional;

/**
 * The ECS service a step names: parameters {@code cluster} and {@code service}, or a resource
 * {@code ecs:CLUSTER/SERVICE} (also {@code ecs:service/CLUSTER/SERVICE} and a service ARN).
 */
record EcsService(String cluster, String service) {
    static final String CLUSTER = "the cluster's name (default: from the resource ecs:CLUSTER/SERVICE)";
    static final String SERVICE = "the service's name (default: from the resource ecs:CLUSTER/SERVICE)";

    static EcsService of(Step step) {
        String cluster = step.parameters().get("cluster");
        String service = step.parameters().get("service");
        if (present(cluster) && present(service)) {
            return new EcsService(cluster.trim(), service.trim());
        }
        String resource = step.resource();
        if (present(resource)) {
            String path = resource.trim();
            if (path.startsWith("arn:")) {
                String[] arn = path.split(":", 6);
                path = arn.length == 6 ? arn[5] : "";
            } else if (path.startsWith("ecs:")) {
                path = path.substring("ecs:".length());
            }
            path = path.startsWith("service/") ? path.substring("service/".length()) : path;
            String[] parts = path.split("/");
            if (parts.length == 2 && !parts[0].isBlank() && !parts[1].isBlank()) {
                return new EcsService(present(cluster) ? cluster.trim() : parts[0], present(service) ? service.trim() : parts[1]);
            }
        }
        throw new Step.InvalidStepException("step needs parameters 'cluster' and 'service' or a resource ecs:CLUSTER/SERVICE");
    }

    /** The service as DescribeServices sees it, or empty when the cluster has no such service (or it is gone). */
    Optional<Service> describe(EcsClient ecs) {
        return ecs.describeServices(b -> b.cluster(cluster).services(service)).services().stream()
                .filter(s -> !"INACTIVE".equals(s.status()))
                .findFirst();
    }

    static Optional<Deployment> primary(Service service) {
        return service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst();
    }

    @Override
    public String toString() {
        return cluster + "/" + service;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
