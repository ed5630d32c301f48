package dev.nightshift.notifier.planner;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.kafka.TopicCreator;
import dev.nightshift.kafka.streams.DeadLetterDeserializationHandler;
import dev.nightshift.kafka.streams.DeadLetterProcessingHandler;
import dev.nightshift.kafka.streams.DeadLetterRouting;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * The running planner without Micronaut: creates the topics it reads and writes (the outbox with as many partitions as
 * {@code incidents}), checks that the topics keyed by incident id have the same number of partitions, builds the
 * topology and runs it with exactly-once. The Micronaut bean {@link PlannerStreams} and the integration tests use it.
 */
public final class PlannerRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlannerRuntime.class);

    private final PlannerConfig config;
    private final PlannerPolicy policy;
    private final PipelineSettings pipeline;
    private final Predicate<String> pages;
    private Admin admin;
    private KafkaStreams streams;

    /**
     * @param policy what people are told, where and when ({@link PlannerConfig#policy})
     * @param pages  whether a team can be paged: the pager's answer, or nobody without a pager
     */
    public PlannerRuntime(PlannerConfig config, PlannerPolicy policy, PipelineSettings pipeline, Predicate<String> pages) {
        this.config = config;
        this.policy = policy;
        this.pipeline = pipeline;
        this.pages = pages;
    }

    public static Properties streamsProperties(PlannerConfig config, PipelineSettings pipeline) {
        Properties props = new Properties();
        props.putAll(pipeline.kafka().common());
        props.putAll(pipeline.registry().asMap());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getPlannerApplicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.getPlannerStateDir());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getPlannerCommitInterval().toMillis());
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.putAll(deadLetterRouting(pipeline.topicNames()));
        if (config.getPlannerReplicationFactor() > 0) {
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.getPlannerReplicationFactor());
        }
        if (!config.getPlannerGroupInstanceId().isEmpty()) {
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.getPlannerGroupInstanceId());
        }
        return props;
    }

    /**
     * Where the planner's poison records go: an undecodable record of an input topic to that topic's {@code .dlq}, an
     * approval request re-keyed by incident to {@code approvals.requests.dlq}, one of the planner's own hand-offs to the
     * {@code .dlq} of its repartition topic; records of the global tables (ownership, silences) are skipped and logged.
     */
    public static Map<String, Object> deadLetterRouting(TopicNames names) {
        return Map.of(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true,
                DeadLetterRouting.APP, "planner",
                DeadLetterRouting.REPARTITIONS, DeadLetterRouting.repartitions(Map.of(PlannerNames.APPROVALS_BY_INCIDENT, names.approvalRequests())),
                DeadLetterRouting.GLOBAL_TOPICS, names.ownership() + "," + names.notificationsSilences());
    }

    /** Creates what is missing, checks the partition counts, builds the topology and starts it. */
    public synchronized void start() {
        Topics topics = pipeline.topics();
        TopicNames names = topics.names();
        admin = Admin.create(pipeline.kafka().common());
        OptionalInt existing = TopicCreator.partitionsOf(admin, names.incidents());
        int partitions = existing.orElse(config.getPlannerTopicPartitions());
        TopicCreator creator = new TopicCreator(admin, partitions, config.getPlannerReplicationFactor());
        List<String> keyedByIncident = List.of(names.incidents(), names.playbookRuns(), names.remediationOutcomes());
        List<String> plain = new ArrayList<>(keyedByIncident);
        plain.addAll(List.of(names.approvalRequests(), names.notificationsOutbox(), names.notificationsDeliveries(), names.incidentResponses()));
        List.of(names.incidents(), names.playbookRuns(), names.remediationOutcomes(), names.approvalRequests())
                .forEach(topic -> plain.add(TopicNames.deadLetter(topic)));
        List.of(PlannerNames.EVENTS_BY_FAMILY, PlannerNames.EVENTS_BY_INCIDENT)
                .forEach(name -> plain.add(TopicNames.deadLetter(config.getPlannerApplicationId() + "-" + name + "-repartition")));
        creator.ensure(plain);
        creator.ensureCompacted(List.of(names.ownership(), names.notificationsLedger(), names.notificationsSilences()));
        List<String> samePartitions = new ArrayList<>(keyedByIncident);
        samePartitions.add(names.notificationsOutbox());
        for (String topic : samePartitions) {
            int count = TopicCreator.partitionsOf(admin, topic).orElse(partitions);
            if (count != partitions) {
                throw new IllegalStateException("topic " + topic + " has " + count + " partitions and " + names.incidents() + " has " + partitions
                        + ": the planner needs the topics keyed by incident id, and its outbox, to have the same count");
            }
        }
        Topology topology = PlannerTopology.build(new PlannerTopology.Settings(topics, policy, pages,
                config.getPlannerPunctuateInterval(), config.getPlannerRetention(), partitions, "rocksdb".equals(config.getPlannerStores())));
        LOG.info("planner topology:\n{}", topology.describe());
        streams = new KafkaStreams(topology, streamsProperties(config, pipeline));
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("a planner thread failed: {}", error.toString(), error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        LOG.info("planner started: {}", config);
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public synchronized void close() {
        if (streams != null) {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
