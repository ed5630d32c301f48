package dev.nightshift.workers;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.Set;

/**
 * The workers' settings ({@code nightshift.workers.*}).
 * {@code dry-run} (WORKERS_DRY_RUN, default true): record the plan, change nothing, for every action.
 * {@code dry-run-actions} (WORKERS_DRY_RUN_ACTIONS): actions held in dry-run even when the global switch is off.
 * {@code group-id} (WORKERS_GROUP_ID, default nightshift-workers).
 * {@code aws-region} (AWS_REGION, default us-east-1) and {@code aws-endpoint} (AWS_ENDPOINT_URL):
 * the endpoint override points the SDK at a local service such as DynamoDB Local.
 */
@ConfigurationProperties("nightshift.workers")
public class WorkersConfig {
    private boolean dryRun = true;
    private Set<String> dryRunActions = Set.of();
    private String groupId = "nightshift-workers";
    private String awsRegion = "us-east-1";
    private String awsEndpoint;
    private int retryAttempts = 3;

    public boolean isDryRun() {
        return dryRun;
    }

    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public Set<String> getDryRunActions() {
        return dryRunActions;
    }

    public void setDryRunActions(Set<String> dryRunActions) {
        this.dryRunActions = dryRunActions;
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public String getAwsRegion() {
        return awsRegion;
    }

    public void setAwsRegion(String awsRegion) {
        this.awsRegion = awsRegion;
    }

    public String getAwsEndpoint() {
        return awsEndpoint;
    }

    public void setAwsEndpoint(String awsEndpoint) {
        this.awsEndpoint = awsEndpoint;
    }

    public int getRetryAttempts() {
        return retryAttempts;
    }

    public void setRetryAttempts(int retryAttempts) {
        this.retryAttempts = retryAttempts;
    }

    /** Whether an action runs in dry-run. */
    public boolean dryRunFor(String action) {
        return dryRun || dryRunActions.contains(action);
    }
}
