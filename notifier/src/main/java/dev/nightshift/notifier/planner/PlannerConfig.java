package dev.nightshift.notifier.planner;

import dev.nightshift.schema.Severity;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Property;

import java.time.Duration;

/**
 * The planner's settings: what people are told, where and when ({@code NOTIFIER_GROUP_WINDOW},
 * {@code NOTIFIER_ACKNOWLEDGE_WITHIN}, {@code NOTIFIER_PAGE_SEVERITY}; the default channel and project are the Slack and
 * Jira settings' own) and how its Kafka Streams app runs ({@code NOTIFIER_PLANNER_*}). Each comes from its
 * environment variable through Micronaut's mapping ({@code NOTIFIER_GROUP_WINDOW} is {@code notifier.group-window});
 * the defaults here are the only ones, and the module README's table is checked against them.
 */
@ConfigurationProperties("notifier")
public class PlannerConfig {
    /** The Streams state directory unless NOTIFIER_PLANNER_STATE_DIR says otherwise: under the machine's temp directory. */
    public static final String DEFAULT_STATE_DIR = System.getProperty("java.io.tmpdir") + "/nightshift-notifier-planner";
    /** Incidents of one team, category and channel opening within this of the group's first share its thread. */
    private Duration groupWindow = Duration.ofSeconds(30);
    /** An incident of the paging severity or worse not acknowledged within this pages the on-call (a team's ownership may say otherwise). */
    private Duration acknowledgeWithin = Duration.ofMinutes(15);
    /** The least severity whose unacknowledged incidents page. */
    private Severity pageSeverity = Severity.HIGH;
    /** The planner's Kafka Streams application.id: its consumer group and the prefix of its internal topics. */
    private String plannerApplicationId = "nightshift-notifier-planner";
    private String plannerStateDir = DEFAULT_STATE_DIR;
    /** in-memory or rocksdb. */
    private String plannerStores = "in-memory";
    /** How often the wall-clock punctuator looks for acknowledgement deadlines that passed. */
    private Duration plannerPunctuateInterval = Duration.ofSeconds(1);
    /** Streams commit.interval.ms: with exactly-once, how often the planner's notifications become visible. */
    private Duration plannerCommitInterval = Duration.ofMillis(100);
    /** How long the planner keeps a closed incident's state (its thread, ticket, pages), should it reopen. */
    private Duration plannerRetention = Duration.ofDays(7);
    private String plannerGroupInstanceId = "";
    /** Partitions of the topics it creates when incidents does not exist yet (otherwise incidents' count). */
    private int plannerTopicPartitions = 3;
    /** Replication factor of the topics it creates; -1: the broker's default. */
    private short plannerReplicationFactor = -1;

    public Duration getGroupWindow() {
        return groupWindow;
    }

    public void setGroupWindow(Duration groupWindow) {
        this.groupWindow = groupWindow;
    }

    public Duration getAcknowledgeWithin() {
        return acknowledgeWithin;
    }

    public void setAcknowledgeWithin(Duration acknowledgeWithin) {
        this.acknowledgeWithin = acknowledgeWithin;
    }

    public Severity getPageSeverity() {
        return pageSeverity;
    }

    public void setPageSeverity(Severity pageSeverity) {
        if (pageSeverity == null || pageSeverity == Severity.UNKNOWN) {
            throw new IllegalArgumentException("NOTIFIER_PAGE_SEVERITY must be CRITICAL, HIGH, MEDIUM, LOW or INFO, got " + pageSeverity);
        }
        this.pageSeverity = pageSeverity;
    }

    public String getPlannerApplicationId() {
        return plannerApplicationId;
    }

    public void setPlannerApplicationId(String plannerApplicationId) {
        this.plannerApplicationId = plannerApplicationId;
    }

    public String getPlannerStateDir() {
        return plannerStateDir;
    }

    public void setPlannerStateDir(String plannerStateDir) {
        this.plannerStateDir = plannerStateDir;
    }

    public String getPlannerStores() {
        return plannerStores;
    }

    public void setPlannerStores(String plannerStores) {
        if (!"in-memory".equals(plannerStores) && !"rocksdb".equals(plannerStores)) {
            throw new IllegalArgumentException("NOTIFIER_PLANNER_STORES must be in-memory or rocksdb, got " + plannerStores);
        }
        this.plannerStores = plannerStores;
    }

    public Duration getPlannerPunctuateInterval() {
        return plannerPunctuateInterval;
    }

    public void setPlannerPunctuateInterval(Duration plannerPunctuateInterval) {
        this.plannerPunctuateInterval = plannerPunctuateInterval;
    }

    public Duration getPlannerCommitInterval() {
        return plannerCommitInterval;
    }

    public void setPlannerCommitInterval(Duration plannerCommitInterval) {
        this.plannerCommitInterval = plannerCommitInterval;
    }

    public Duration getPlannerRetention() {
        return plannerRetention;
    }

    public void setPlannerRetention(Duration plannerRetention) {
        this.plannerRetention = plannerRetention;
    }

    public String getPlannerGroupInstanceId() {
        return plannerGroupInstanceId;
    }

    public void setPlannerGroupInstanceId(String plannerGroupInstanceId) {
        this.plannerGroupInstanceId = plannerGroupInstanceId == null ? "" : plannerGroupInstanceId.trim();
    }

    public int getPlannerTopicPartitions() {
        return plannerTopicPartitions;
    }

    public void setPlannerTopicPartitions(int plannerTopicPartitions) {
        this.plannerTopicPartitions = plannerTopicPartitions;
    }

    public short getPlannerReplicationFactor() {
        return plannerReplicationFactor;
    }

    public void setPlannerReplicationFactor(short plannerReplicationFactor) {
        this.plannerReplicationFactor = plannerReplicationFactor;
    }

    /**
     * What people are told, where and when, as the planner's rules take it.
     *
     * @param defaultChannel the Slack channel of a team whose ownership names none (SLACK_DEFAULT_CHANNEL); blank: none
     * @param defaultProject the Jira project of a team whose ownership names none (JIRA_DEFAULT_PROJECT); blank: no ticket
     */
    public PlannerPolicy policy(String defaultChannel, String defaultProject) {
        return new PlannerPolicy(groupWindow, acknowledgeWithin, pageSeverity, defaultChannel, defaultProject);
    }

    @Override
    public String toString() {
        return "PlannerConfig[groupWindow=" + groupWindow + ", acknowledgeWithin=" + acknowledgeWithin + ", pageSeverity=" + pageSeverity
                + ", applicationId=" + plannerApplicationId + ", stores=" + plannerStores + "]";
    }
}
