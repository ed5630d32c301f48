package dev.nightshift.workers.runner;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * The playbook runner's settings ({@code workers.runner.*}, each from its {@code WORKERS_RUNNER_*}
 * variable). The defaults here are the only ones; the module README's table is checked against them.
 */
@ConfigurationProperties("workers.runner")
public class RunnerConfig {
    /** Kafka Streams application.id of the runner: its consumer group and the prefix of its internal topics. */
    private String applicationId = "nightshift-runner";
    /** Where its state stores live. */
    private String stateDir = System.getProperty("java.io.tmpdir") + "/nightshift-runner";
    /** The playbooks file; blank: the shipped playbooks. */
    private String playbooksFile = "";
    /** How long an approval request waits before it expires (and the run escalates). */
    private Duration approvalTimeout = Duration.ofMinutes(30);
    /** After a live change's deadline, how long the workers have to say what it did before it is reported INTERRUPTED. */
    private Duration recoverGrace = Duration.ofMinutes(1);
    /** Live runs of an action per resource within the window. */
    private int blastRadiusPerResource = 1;
    /** Live runs of an action over all resources within the window. */
    private int blastRadiusPerAction = 10;
    private Duration blastRadiusWindow = Duration.ofHours(1);
    /** Live runs of an action failed in a row that switch it off until a person switches it on. */
    private int circuitBreakerFailures = 3;
    /** How often the wall-clock punctuator looks at the runs in hand (expiries, checks, deadlines). */
    private Duration punctuateInterval = Duration.ofSeconds(1);
    /** How long the state of an ended run is kept (for undo, retry and queries). */
    private Duration retention = Duration.ofDays(7);
    /** Streams commit.interval.ms: with exactly-once, how often the runner's outputs become visible. */
    private Duration commitInterval = Duration.ofMillis(100);
    /** in-memory or rocksdb. */
    private String stores = "in-memory";
    /** Kafka static membership for the runner's Streams consumer; blank: dynamic. */
    private String groupInstanceId = "";
    /** Partitions of the topics it creates when incidents does not exist yet (otherwise incidents' count). */
    private int topicPartitions = 3;
    /** Replication factor of the topics it creates; -1: the broker's default. */
    private short replicationFactor = -1;

    public String getApplicationId() {
        return applicationId;
    }

    public void setApplicationId(String applicationId) {
        this.applicationId = applicationId;
    }

    public String getStateDir() {
        return stateDir;
    }

    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

    public String getPlaybooksFile() {
        return playbooksFile;
    }

    public void setPlaybooksFile(String playbooksFile) {
        this.playbooksFile = playbooksFile == null ? "" : playbooksFile;
    }

    public Duration getApprovalTimeout() {
        return approvalTimeout;
    }

    public void setApprovalTimeout(Duration approvalTimeout) {
        this.approvalTimeout = approvalTimeout;
    }

    public Duration getRecoverGrace() {
        return recoverGrace;
    }

    public void setRecoverGrace(Duration recoverGrace) {
        this.recoverGrace = recoverGrace;
    }

    public int getBlastRadiusPerResource() {
        return blastRadiusPerResource;
    }

    public void setBlastRadiusPerResource(int blastRadiusPerResource) {
        this.blastRadiusPerResource = blastRadiusPerResource;
    }

    public int getBlastRadiusPerAction() {
        return blastRadiusPerAction;
    }

    public void setBlastRadiusPerAction(int blastRadiusPerAction) {
        this.blastRadiusPerAction = blastRadiusPerAction;
    }

    public Duration getBlastRadiusWindow() {
        return blastRadiusWindow;
    }

    public void setBlastRadiusWindow(Duration blastRadiusWindow) {
        this.blastRadiusWindow = blastRadiusWindow;
    }

    public int getCircuitBreakerFailures() {
        return circuitBreakerFailures;
    }

    public void setCircuitBreakerFailures(int circuitBreakerFailures) {
        this.circuitBreakerFailures = circuitBreakerFailures;
    }

    public Duration getPunctuateInterval() {
        return punctuateInterval;
    }

    public void setPunctuateInterval(Duration punctuateInterval) {
        this.punctuateInterval = punctuateInterval;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public Duration getCommitInterval() {
        return commitInterval;
    }

    public void setCommitInterval(Duration commitInterval) {
        this.commitInterval = commitInterval;
    }

    public String getStores() {
        return stores;
    }

    public void setStores(String stores) {
        if (!"in-memory".equals(stores) && !"rocksdb".equals(stores)) {
            throw new IllegalArgumentException("workers.runner.stores must be in-memory or rocksdb, got " + stores);
        }
        this.stores = stores;
    }

    public String getGroupInstanceId() {
        return groupInstanceId;
    }

    public void setGroupInstanceId(String groupInstanceId) {
        this.groupInstanceId = groupInstanceId == null ? "" : groupInstanceId.trim();
    }

    public int getTopicPartitions() {
        return topicPartitions;
    }

    public void setTopicPartitions(int topicPartitions) {
        this.topicPartitions = topicPartitions;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public PlaybookRunner.Settings runnerSettings() {
        return new PlaybookRunner.Settings(approvalTimeout, recoverGrace);
    }

    public Guardrails.Limits limits() {
        return new Guardrails.Limits(blastRadiusPerResource, blastRadiusPerAction, blastRadiusWindow, circuitBreakerFailures);
    }
}
