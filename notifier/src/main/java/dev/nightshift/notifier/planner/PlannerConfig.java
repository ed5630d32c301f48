package dev.nightshift.notifier.planner;

import dev.nightshift.schema.Severity;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Property;

import java.time.Duration;

/**
 * The planner's settings: what people are told, where and when ({@code NOTIFIER_GROUP_WINDOW},
 * {@code NOTIFIER_ACKNOWLEDGE_WITHIN}, {@code NOTIFIER_PAGE_SEVERITY}, {@code SLACK_DEFAULT_CHANNEL},
 * {@code JIRA_DEFAULT_PROJECT}) and how its Kafka Streams app runs ({@code NOTIFIER_PLANNER_*}). Each comes from its
 * environment variable through Micronaut's mapping ({@code NOTIFIER_GROUP_WINDOW} is {@code notifier.group-window});
 * the defaults here are the only ones, and the module README's table is checked against them.
 */
@ConfigurationProperties("notifier")
public class PlannerConfig {
    /** Incidents of one team, category and channel opening within this of the group's first share its thread. */
    private Duration groupWindow = Duration.ofSeconds(30);
    /** An incident of the paging severity or worse not acknowledged within this pages the on-call (a team's ownership may say otherwise). */
    private Duration acknowledgeWithin = Duration.ofMinutes(15);
    /** The least severity whose unacknowledged incidents page. */
    private Severity pageSeverity = Severity.HIGH;
    /** The channel of a team whose ownership names none; blank: none. */
    private String slackDefaultChannel = "";
    /** The Jira project of a team whose ownership names none; blank: such teams get no tickets. */
    private String jiraDefaultProject = "";
    /** The planner's Kafka Streams application.id: its consumer group and the prefix of its internal topics. */
    private String plannerApplicationId = "nightshift-notifier-planner";
    private String plannerStateDir = System.getProperty("java.io.tmpdir") + "/nightshift-notifier-planner";
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

    public String getSlackDefaultChannel() {
        return slackDefaultChannel;
    }

    @Property(name = "slack.default-channel")
    public void setSlackDefaultChannel(String slackDefaultChannel) {
        this.slackDefaultChannel = slackDefaultChannel == null ? "" : slackDefaultChannel.trim();
    }

    public String getJiraDefaultProject() {
        return jiraDefaultProject;
    }

    @Property(name = "jira.default-project")
    public void setJiraDefaultProject(String jiraDefaultProject) {
        this.jiraDefaultProject = jiraDefaultProject == null ? "" : jiraDefaultProject.trim();
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

    /** What people are told, where and when, as the planner's rules take it. */
    public PlannerPolicy policy() {
        return new PlannerPolicy(groupWindow, acknowledgeWithin, pageSeverity, slackDefaultChannel, jiraDefaultProject);
    }

    @Override
    public String toString() {
        return "PlannerConfig[groupWindow=" + groupWindow + ", acknowledgeWithin=" + acknowledgeWithin + ", pageSeverity=" + pageSeverity
                + ", slackDefaultChannel=" + slackDefaultChannel + ", jiraDefaultProject=" + jiraDefaultProject
                + ", applicationId=" + plannerApplicationId + ", stores=" + plannerStores + "]";
    }
}
