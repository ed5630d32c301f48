package dev.nightshift.triage.service;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.FingerprintState;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentHistory;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.serde.ConfluentWireFormat;
import dev.nightshift.triage.analytics.AnalyticsTopology;
import org.apache.avro.Schema;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.kafka.streams.DeadLetterDeserializationHandler;
import dev.nightshift.kafka.streams.DeadLetterProcessingHandler;
import dev.nightshift.kafka.streams.DeadLetterRouting;
import dev.nightshift.triage.topology.StoreNames;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.triage.ownership.OwnerResolver;
import dev.nightshift.triage.topology.LiveOwnership;
import dev.nightshift.triage.topology.TriageTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The running triage app without Micronaut: loads nothing itself (the rules are given, already
 * validated), creates the topics it needs, builds the topology and runs it with
 * exactly-once. The Micronaut bean {@link TriageStreams} and the integration tests both use it.
 */
public final class TriageRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TriageRuntime.class);

    private final TriageConfig config;
    private final PipelineSettings pipeline;
    private final ClassificationRules rules;
    private final Topics topics;
    private Admin admin;
    private KafkaStreams streams;
    private LiveOwnership live;

    public TriageRuntime(TriageConfig config, PipelineSettings pipeline, ClassificationRules rules) {
        this.config = config;
        this.pipeline = pipeline;
        this.rules = rules;
        this.topics = pipeline.topics();
    }

    /** The Streams configuration: exactly-once, the dead-letter handlers, and latency settings set on purpose. */
    public static Properties streamsProperties(TriageConfig config, PipelineSettings pipeline, String applicationServer) {
        Properties props = new Properties();
        props.putAll(pipeline.kafka().common());
        props.putAll(pipeline.registry().asMap());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getApplicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.getStateDir());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getStreamThreads());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.getStandbyReplicas());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getCommitInterval().toMillis());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), (int) config.getProducerLinger().toMillis());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), config.getProducerBatchSize());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), config.getProducerBufferMemory());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), config.getProducerCompression());
        // With transactions v2 a send right after a commit can be answered CONCURRENT_TRANSACTIONS until the
        // commit markers are written; retry it soon rather than after the default 100 ms (up to 1 s) backoff.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        // Streams' exactly-once default is to retry a send for ever: a record for a topic deleted under the app would
        // hold the commit (and the thread) with no end. Bounded, the send fails, the task goes back to its last commit
        // and does the work again, by when the team topic has been asked for again (and created).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), (int) config.getProducerDeliveryTimeout().toMillis());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 200);
        // The alert task also reads the outcome, approval and response repartition topics, which are empty most of the time.
        // Nothing in triage depends on the order of records across those inputs (an outcome or approval of an
        // incident the state does not hold is ignored), so never wait on them. With the default (0) Streams checks
        // every empty partition's lag before each record and formats a log line per check, whether or not it is
        // logged: about a fifth of the stream thread's time in the benchmark.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.putAll(deadLetterRouting(pipeline.topicNames()));
        if (config.getReplicationFactor() > 0) {
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.getReplicationFactor());
        }
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        if (!config.getGroupInstanceId().isEmpty()) {
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.getGroupInstanceId());
        }
        props.putAll(config.getStreams());
        return props;
    }

    /** Where the dead-letter handlers send a poison record of each of triage's inputs. */
    public static java.util.Map<String, String> deadLetterRouting(dev.nightshift.topics.TopicNames names) {
        return java.util.Map.of(DeadLetterRouting.APP, "triage",
                DeadLetterRouting.REPARTITIONS, DeadLetterRouting.repartitions(java.util.Map.of(
                        StoreNames.OUTCOMES_BY_FINGERPRINT, names.remediationOutcomes(),
                        StoreNames.APPROVALS_BY_FINGERPRINT, names.approvalDecisions(),
                        StoreNames.RESPONSES_BY_FINGERPRINT, names.incidentResponses())),
                DeadLetterRouting.GLOBAL_TOPICS, names.ownership());
    }

    public static LifecycleSettings lifecycle(TriageConfig config) {
        return new LifecycleSettings(config.getReopenWindow(), config.getFlapTransitions(), config.getFlapWindow(),
                config.getExpireAfter(), config.getStateRetention(), config.getRepeatPublishInterval());
    }

    /** Creates missing topics, builds the topology and starts it. */
    public synchronized void start(String applicationServer) {
        admin = Admin.create(pipeline.kafka().common());
        TopicProvisioner provisioner = new TopicProvisioner(admin, topics.names(), config.getTopicPartitions(),
                config.getTeamTopicPartitions(), config.getReplicationFactor(), Duration.ofSeconds(30), config.getTeamTopicRecheck());
        OwnerResolver owners = new OwnerResolver(config.getDefaultTeam());
        int partitions = provisioner.provisionAtStart(owners.defaultTeam());
        live = new LiveOwnership();
        Topology topology = TriageTopology.build(new TriageTopology.Settings(topics, rules,
                new IncidentLifecycle(lifecycle(config)), owners, live, provisioner,
                config.getPunctuateInterval(), config.getPunctuateBatch(), partitions, !"in-memory".equals(config.getStores()),
                config.getAnalyticsRetention()));
        registerSchemas(owners.defaultTeam());
        LOG.info("triage topology:\n{}", topology.describe());
        streams = new KafkaStreams(topology, streamsProperties(config, pipeline, applicationServer));
        streams.setUncaughtExceptionHandler(error -> onThreadFailure(Thread.currentThread(), error));
        LiveOwnership ownership = live;
        streams.setStateListener((state, previous) -> {
            if (state == KafkaStreams.State.RUNNING) {
                ownership.appRunning();
            }
        });
        streams.start();
        LOG.info("triage started: application.id={}, alerts from {}, {} rules, default team {}",
                config.getApplicationId(), topics.names().alertsRaw(), rules.rules().size(),
                owners.defaultTeam());
    }

    /**
     * Fetches, while the registry answers at start, the id of every schema triage writes under a subject of its own: its
     * stores' changelogs, its repartition topics and its fixed outputs. The client keeps them, so that a first write
     * during a later registry outage (the first incident in the analytics history, the first resolved incident) does not
     * stop its task.
     */
    private void registerSchemas(String defaultTeam) {
        String app = config.getApplicationId();
        Map<String, Schema> written = new LinkedHashMap<>();
        written.put(app + "-" + StoreNames.INCIDENTS + "-changelog", FingerprintState.getClassSchema());
        written.put(app + "-" + StoreNames.INCIDENT_ARCHIVE + "-changelog", Incident.getClassSchema());
        written.put(app + "-" + AnalyticsTopology.HISTORY_STORE + "-changelog", IncidentHistory.getClassSchema());
        written.put(app + "-" + StoreNames.OUTCOMES_BY_FINGERPRINT + "-repartition", RemediationOutcome.getClassSchema());
        written.put(app + "-" + StoreNames.APPROVALS_BY_FINGERPRINT + "-repartition", ApprovalDecision.getClassSchema());
        written.put(app + "-" + StoreNames.RESPONSES_BY_FINGERPRINT + "-repartition", IncidentResponse.getClassSchema());
        written.put(topics.names().incidents(), Incident.getClassSchema());
        written.put(topics.names().incidentOutcomes(), IncidentOutcome.getClassSchema());
        written.put(topics.names().teamAlerts(defaultTeam), TriagedAlert.getClassSchema());
        try {
            written.forEach((topic, schema) -> topics.registry().idFor(ConfluentWireFormat.subject(topic, false), schema));
        } catch (RuntimeException e) {
            LOG.warn("the schema registry did not answer at start; triage's first writes will ask it again: {}", e.getMessage());
        }
    }

    /**
     * What to do when a thread of the app dies: a stream thread is replaced (its tasks resume from the last
     * commit). The global thread, which keeps the ownership store, cannot be replaced (Streams 4.3 answers a
     * request to with a cast error), so the app stops and reports it.
     */
    static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onThreadFailure(Thread thread, Throwable error) {
        if (thread.getName().endsWith("-GlobalStreamThread")) {
            LOG.error("the ownership (global store) thread failed; triage stops and reports DOWN until restarted: {}",
                    error.toString(), error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        LOG.error("a stream thread failed and is replaced: {}", error.toString(), error);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Since when ownership updates have been waiting for an unreachable schema registry; empty when they are not. */
    public Optional<Instant> ownershipWaitingForRegistrySince() {
        return live == null ? Optional.empty() : live.waitingForRegistrySince();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public Topics topics() {
        return topics;
    }

    @Override
    public synchronized void close() {
        if (live != null) {
            live.close();
        }
        if (streams != null) {
            // Leave the group on the way out: Streams' consumer otherwise stays a member until the session times out
            // (45 s), and the partitions it held are triaged by no one until then, on a restart of this instance too.
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
