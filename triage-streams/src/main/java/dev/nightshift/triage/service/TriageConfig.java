package dev.nightshift.triage.service;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The triage app's settings ({@code triage.*}; each has an environment variable, see application.yml
 * and the module README). Connection settings (KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL,
 * NIGHTSHIFT_TOPICS_PREFIX, ...) are the pipeline's shared ones.
 */
@ConfigurationProperties("triage")
public class TriageConfig {
    /** Kafka Streams application.id: the consumer group and the prefix of internal topics. */
    private String applicationId = "nightshift-triage";
    /** Where the state stores live. */
    private String stateDir = System.getProperty("java.io.tmpdir") + "/nightshift-triage";
    /** The team of alerts nobody owns: their topic is team.&lt;default-team&gt;.alerts. */
    private String defaultTeam = "unowned";
    /** Classification rules file; blank = the bundled triage/rules.yaml. */
    private String rulesFile = "";
    /** Playbooks file, whose playbook names the rules may use (the remediation runner reads it in full); blank = the shipped one. */
    private String playbooksFile = "";
    /** Firing again this soon after a resolve reopens the incident; its outcome is published after it. */
    private Duration reopenWindow = Duration.ofMinutes(10);
    /** This many state changes within flap-window mark a fingerprint flapping (its playbook is held). */
    private int flapTransitions = 4;
    private Duration flapWindow = Duration.ofMinutes(30);
    /** An open incident with no alert for this long expires. */
    private Duration expireAfter = Duration.ofHours(24);
    /** How long closed incidents stay queryable and closed fingerprints remembered. */
    private Duration stateRetention = Duration.ofDays(7);
    /** How often the wall-clock punctuator checks for expiry and ended reopen windows. */
    private Duration punctuateInterval = Duration.ofSeconds(1);
    /** Fingerprints one punctuation looks at; the next goes on from there (a full pass takes fingerprints/batch intervals). */
    private int punctuateBatch = 1000;

    public int getPunctuateBatch() {
        return punctuateBatch;
    }

    public void setPunctuateBatch(int punctuateBatch) {
        this.punctuateBatch = punctuateBatch;
    }
    /** Streams commit.interval.ms: with exactly-once, how often transactions commit (and outputs become visible). */
    private Duration commitInterval = Duration.ofMillis(100);
    /**
     * Streams producer linger.ms. With exactly-once nothing triage writes can be read before its transaction commits, so
     * holding records up to the commit interval costs a {@code read_committed} consumer nothing, while sending them sooner
     * splits them into more, smaller batches: with alerts fanned out over many team topics, a batch per partition every
     * few milliseconds held a handful of records, and the producer and broker paid per batch. Longer than the commit
     * interval changes nothing (the commit sends what is waiting).
     */
    private Duration producerLinger = Duration.ofMillis(100);
    /**
     * Streams producer {@code batch.size} in bytes. Triage writes two records per alert (the team record and the
     * state's changelog record) to many partitions; bigger batches mean fewer requests for the producer and the
     * broker. It only caps a batch: at low rates linger.ms still sends records soon.
     */
    private int producerBatchSize = 128 * 1024;
    /**
     * Streams producer {@code buffer.memory} in bytes. Every partition written in a transaction holds a batch of
     * {@code batch.size} until it is sent and acknowledged, so the need grows with the team topics' partitions: with the
     * default 32 MiB and 21 team topics of 6 partitions, the stream thread waited for buffer space a tenth of the time.
     * 128 MiB holds about 500 partitions' batches, open and in flight.
     */
    private long producerBufferMemory = 128L * 1024 * 1024;
    /** Streams producer {@code compression.type}: alerts are repetitive and lz4 is cheap, so fewer bytes to send and store. */
    private String producerCompression = "lz4";
    private int streamThreads = 1;
    /**
     * State stores: {@code in-memory} (fast; rebuilt from their compacted changelogs after a restart, or kept warm
     * by standby replicas) or {@code rocksdb} (on disk under state-dir; with exactly-once, Streams flushes RocksDB
     * on every commit).
     */
    private String stores = "in-memory";

    public String getStores() {
        return stores;
    }

    public void setStores(String stores) {
        if (!"in-memory".equals(stores) && !"rocksdb".equals(stores)) {
            throw new IllegalArgumentException("triage.stores must be in-memory or rocksdb, got " + stores);
        }
        this.stores = stores;
    }

    /** application.server (host:port) other instances use to reach this one's HTTP API; blank = advertised-host and the server's port. */
    private String applicationServer = "";
    /** A repeat is published on the incidents topic at most this often per incident (0 = every repeat); every alert still reaches its team topic. */
    private Duration repeatPublishInterval = Duration.ofMinutes(1);

    public Duration getRepeatPublishInterval() {
        return repeatPublishInterval;
    }

    public void setRepeatPublishInterval(Duration repeatPublishInterval) {
        this.repeatPublishInterval = repeatPublishInterval;
    }

    /** Host other instances use to reach this one's HTTP API, when application-server is blank. */
    private String advertisedHost = "localhost";
    /** Partitions of topics this app creates when alerts.raw does not exist yet (otherwise alerts.raw's count). */
    private int topicPartitions = 3;
    /**
     * Partitions of the team topics this app creates. A team topic carries one team's share of the alerts to
     * that team's own consumers, so it needs far fewer than alerts.raw, and every partition is one more the
     * exactly-once producer writes to in each transaction and one more the cluster keeps (teams times this).
     */
    private int teamTopicPartitions = 1;
    /** How long a team topic found or created is trusted to exist before it is asked for (and created) again. */
    private Duration teamTopicRecheck = Duration.ofMinutes(1);
    /** How long the Streams producer tries to deliver a record before the task does its work again from the last commit. */
    private Duration producerDeliveryTimeout = Duration.ofMinutes(2);
    /** Replication factor of topics this app creates; -1 = the broker's default. */
    private short replicationFactor = -1;
    /** Replicas of the state stores on other instances (num.standby.replicas). */
    private int standbyReplicas = 0;
    /** Timeout of a call to a peer instance's HTTP API. */
    private Duration peerTimeout = Duration.ofSeconds(5);
    /**
     * Kafka's static membership: a {@code group.instance.id} for this instance (Streams adds the thread's number), kept
     * across restarts. A restarted instance then takes its partitions back at once even when the previous run could not
     * leave the group (it was killed); the price is that a member that dies for good holds its partitions until its session
     * times out. Blank: dynamic membership, the default for a group of several instances.
     */
    private String groupInstanceId = "";

    public String getGroupInstanceId() {
        return groupInstanceId;
    }

    public void setGroupInstanceId(String groupInstanceId) {
        this.groupInstanceId = groupInstanceId == null ? "" : groupInstanceId.trim();
    }
    /** Any other Kafka Streams or client setting, e.g. triage.streams.session.timeout.ms (applied last). */
    @MapFormat(transformation = MapFormat.MapTransformation.FLAT)
    private Map<String, String> streams = new HashMap<>();

    public String getApplicationServer() {
        return applicationServer;
    }

    public void setApplicationServer(String applicationServer) {
        this.applicationServer = applicationServer;
    }

    public Map<String, String> getStreams() {
        return streams;
    }

    public void setStreams(@MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, String> streams) {
        this.streams = streams;
    }

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

    public String getDefaultTeam() {
        return defaultTeam;
    }

    public void setDefaultTeam(String defaultTeam) {
        this.defaultTeam = defaultTeam;
    }

    public String getRulesFile() {
        return rulesFile;
    }

    public void setRulesFile(String rulesFile) {
        this.rulesFile = rulesFile;
    }

    public String getPlaybooksFile() {
        return playbooksFile;
    }

    public void setPlaybooksFile(String playbooksFile) {
        this.playbooksFile = playbooksFile;
    }

    public Duration getReopenWindow() {
        return reopenWindow;
    }

    public void setReopenWindow(Duration reopenWindow) {
        this.reopenWindow = reopenWindow;
    }

    public int getFlapTransitions() {
        return flapTransitions;
    }

    public void setFlapTransitions(int flapTransitions) {
        this.flapTransitions = flapTransitions;
    }

    public Duration getFlapWindow() {
        return flapWindow;
    }

    public void setFlapWindow(Duration flapWindow) {
        this.flapWindow = flapWindow;
    }

    public Duration getExpireAfter() {
        return expireAfter;
    }

    public void setExpireAfter(Duration expireAfter) {
        this.expireAfter = expireAfter;
    }

    public Duration getStateRetention() {
        return stateRetention;
    }

    public void setStateRetention(Duration stateRetention) {
        this.stateRetention = stateRetention;
    }

    public Duration getPunctuateInterval() {
        return punctuateInterval;
    }

    public void setPunctuateInterval(Duration punctuateInterval) {
        this.punctuateInterval = punctuateInterval;
    }

    public Duration getCommitInterval() {
        return commitInterval;
    }

    public void setCommitInterval(Duration commitInterval) {
        this.commitInterval = commitInterval;
    }

    public Duration getProducerLinger() {
        return producerLinger;
    }

    public void setProducerLinger(Duration producerLinger) {
        this.producerLinger = producerLinger;
    }

    public int getProducerBatchSize() {
        return producerBatchSize;
    }

    public void setProducerBatchSize(int producerBatchSize) {
        requirePositive("triage.producer-batch-size", producerBatchSize);
        this.producerBatchSize = producerBatchSize;
    }

    public long getProducerBufferMemory() {
        return producerBufferMemory;
    }

    public void setProducerBufferMemory(long producerBufferMemory) {
        requirePositive("triage.producer-buffer-memory", producerBufferMemory);
        this.producerBufferMemory = producerBufferMemory;
    }

    public String getProducerCompression() {
        return producerCompression;
    }

    public void setProducerCompression(String producerCompression) {
        this.producerCompression = producerCompression;
    }

    public int getStreamThreads() {
        return streamThreads;
    }

    public void setStreamThreads(int streamThreads) {
        this.streamThreads = streamThreads;
    }

    public String getAdvertisedHost() {
        return advertisedHost;
    }

    public void setAdvertisedHost(String advertisedHost) {
        this.advertisedHost = advertisedHost;
    }

    public Duration getTeamTopicRecheck() {
        return teamTopicRecheck;
    }

    public void setTeamTopicRecheck(Duration teamTopicRecheck) {
        requirePositive("triage.team-topic-recheck", teamTopicRecheck.toMillis());
        this.teamTopicRecheck = teamTopicRecheck;
    }

    public Duration getProducerDeliveryTimeout() {
        return producerDeliveryTimeout;
    }

    public void setProducerDeliveryTimeout(Duration producerDeliveryTimeout) {
        requirePositive("triage.producer-delivery-timeout", producerDeliveryTimeout.toMillis());
        this.producerDeliveryTimeout = producerDeliveryTimeout;
    }

    public int getTeamTopicPartitions() {
        return teamTopicPartitions;
    }

    public void setTeamTopicPartitions(int teamTopicPartitions) {
        requirePositive("triage.team-topic-partitions", teamTopicPartitions);
        this.teamTopicPartitions = teamTopicPartitions;
    }

    public int getTopicPartitions() {
        return topicPartitions;
    }

    public void setTopicPartitions(int topicPartitions) {
        requirePositive("triage.topic-partitions", topicPartitions);
        this.topicPartitions = topicPartitions;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public int getStandbyReplicas() {
        return standbyReplicas;
    }

    public void setStandbyReplicas(int standbyReplicas) {
        this.standbyReplicas = standbyReplicas;
    }

    public Duration getPeerTimeout() {
        return peerTimeout;
    }

    public void setPeerTimeout(Duration peerTimeout) {
        this.peerTimeout = peerTimeout;
    }

    /** How long an incident's analytics history (figures, timeline, post-mortem) is kept, from its opening: "all" means this long. */
    private Duration analyticsRetention = Duration.ofDays(400);
    /** Default time zone of teams' working hours. */
    private String analyticsTimeZone = "UTC";
    /** Default working hours, HH:MM-HH:MM in the team's time zone (end excluded). */
    private String analyticsWorkingHours = "09:00-18:00";
    /** Default working days. */
    private String analyticsWorkingDays = "MON-FRI";
    /** Teams' own hours, separated by ';': payments=Europe/Berlin 08:00-17:00 MON-FRI. */
    private String analyticsTeamHours = "";
    /** An incident that resolved by itself within this, with nobody acting, is noise. */
    private Duration analyticsNoiseThreshold = Duration.ofMinutes(5);

    public Duration getAnalyticsRetention() {
        return analyticsRetention;
    }

    public void setAnalyticsRetention(Duration analyticsRetention) {
        this.analyticsRetention = analyticsRetention;
    }

    public String getAnalyticsTimeZone() {
        return analyticsTimeZone;
    }

    public void setAnalyticsTimeZone(String analyticsTimeZone) {
        this.analyticsTimeZone = analyticsTimeZone;
    }

    public String getAnalyticsWorkingHours() {
        return analyticsWorkingHours;
    }

    public void setAnalyticsWorkingHours(String analyticsWorkingHours) {
        this.analyticsWorkingHours = analyticsWorkingHours;
    }

    public String getAnalyticsWorkingDays() {
        return analyticsWorkingDays;
    }

    public void setAnalyticsWorkingDays(String analyticsWorkingDays) {
        this.analyticsWorkingDays = analyticsWorkingDays;
    }

    public String getAnalyticsTeamHours() {
        return analyticsTeamHours;
    }

    public void setAnalyticsTeamHours(String analyticsTeamHours) {
        this.analyticsTeamHours = analyticsTeamHours == null ? "" : analyticsTeamHours;
    }

    public Duration getAnalyticsNoiseThreshold() {
        return analyticsNoiseThreshold;
    }

    public void setAnalyticsNoiseThreshold(Duration analyticsNoiseThreshold) {
        this.analyticsNoiseThreshold = analyticsNoiseThreshold;
    }

    /** The teams' working hours these settings describe; refuses hours that do not read, naming the setting. */
    public dev.nightshift.triage.analytics.TeamHours teamHours() {
        return dev.nightshift.triage.analytics.TeamHours.parse(analyticsTimeZone, analyticsWorkingHours, analyticsWorkingDays,
                analyticsTeamHours);
    }

    /** Refuses a setting that must be at least 1, naming it as it is configured. */
    private static void requirePositive(String setting, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be positive, got " + value);
        }
    }
}
