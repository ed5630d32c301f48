package dev.nightshift.workers;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The workers' settings, each from its environment variable ({@code WORKERS_DRY_RUN} is {@code workers.dry-run});
 * the defaults below are the only ones (the module's README lists them, and a test holds the two together).
 * {@code dry-run} (WORKERS_DRY_RUN, default true): record the plan, change nothing, for every action.
 * {@code dry-run-actions} (WORKERS_DRY_RUN_ACTIONS): actions held in dry-run even when the global switch is off.
 * {@code group-id} (WORKERS_GROUP_ID, default nightshift-workers): the consumer group.
 * {@code max-request-age} (WORKERS_MAX_REQUEST_AGE, default PT1H): the deadline of a request that carries none
 * ({@code timeoutAt}), counted from when it was requested: a request taken later is refused, not run (a replayed or
 * long-delayed request never changes anything).
 */
@ConfigurationProperties("workers")
public class WorkersConfig {
    private boolean dryRun = true;
    private Set<String> dryRunActions = Set.of();
    private String groupId = "nightshift-workers";
    private Duration maxRequestAge = Duration.ofHours(1);
    /** SHA-256 hex digests of the keys the operators' HTTP endpoint accepts (several, to rotate one); none: the endpoint refuses all. */
    private List<String> operatorKeySha256 = List.of();

    public List<String> getOperatorKeySha256() {
        return operatorKeySha256;
    }

    public void setOperatorKeySha256(List<String> operatorKeySha256) {
        this.operatorKeySha256 = operatorKeySha256 == null ? List.of() : List.copyOf(operatorKeySha256);
    }

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

    /**
     * Kafka's static membership: an id kept across restarts ({@code group.instance.id}), so that a restarted instance
     * takes its partitions back at once even after a crash; blank: dynamic membership, the default for several instances.
     * It also names the worker's transactional producer, so that a restart ends at once a transaction the killed run left open.
     */
    private String groupInstanceId = "";

    public String getGroupInstanceId() {
        return groupInstanceId;
    }

    public void setGroupInstanceId(String groupInstanceId) {
        this.groupInstanceId = groupInstanceId == null ? "" : groupInstanceId.trim();
    }

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public Duration getMaxRequestAge() {
        return maxRequestAge;
    }

    public void setMaxRequestAge(Duration maxRequestAge) {
        if (maxRequestAge == null || maxRequestAge.isNegative() || maxRequestAge.isZero()) {
            throw new IllegalArgumentException("workers.max-request-age (WORKERS_MAX_REQUEST_AGE) must be positive, not " + maxRequestAge);
        }
        this.maxRequestAge = maxRequestAge;
    }

    /** Whether the worker holds an action in dry-run (a request may ask for dry-run itself too). */
    public boolean dryRunFor(String action) {
        return dryRun || dryRunActions.contains(action);
    }
}
