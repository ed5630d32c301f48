package dev.nightshift.workers.runner;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.kafka.TopicCreator;
import dev.nightshift.kafka.streams.DeadLetterDeserializationHandler;
import dev.nightshift.kafka.streams.DeadLetterProcessingHandler;
import dev.nightshift.kafka.streams.DeadLetterRouting;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.playbook.Playbooks;
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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The running playbook runner without Micronaut: creates the topics it reads and writes, checks that
 * the topics keyed by incident id have the same number of partitions, builds the topology and runs it
 * with exactly-once. The Micronaut bean {@link RunnerStreams} and the integration tests both use it.
 */
public final class RunnerRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerRuntime.class);

    private final RunnerConfig config;
    private final PipelineSettings pipeline;
    private final Playbooks playbooks;
    private final Function<String, Optional<ActionSpec>> actions;
    private final Predicate<String> dryRun;
    private final RunnerMetrics metrics;
    private Admin admin;
    private KafkaStreams streams;

    public RunnerRuntime(RunnerConfig config, PipelineSettings pipeline, Playbooks playbooks, Function<String, Optional<ActionSpec>> actions,
                         Predicate<String> dryRun, RunnerMetrics metrics) {
        this.config = config;
        this.pipeline = pipeline;
        this.playbooks = playbooks;
        this.actions = actions;
        this.dryRun = dryRun;
        this.metrics = metrics;
    }

    public static Properties streamsProperties(RunnerConfig config, PipelineSettings pipeline) {
        Properties props = new Properties();
        props.putAll(pipeline.kafka().common());
        props.putAll(pipeline.registry().asMap());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getApplicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.getStateDir());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getCommitInterval().toMillis());
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        TopicNames names = pipeline.topicNames();
        props.put(DeadLetterRouting.APP, "runner");
        props.put(DeadLetterRouting.REPARTITIONS, DeadLetterRouting.repartitions(java.util.Map.of(
                RunnerNames.DECISIONS_BY_INCIDENT, names.approvalDecisions(),
                RunnerNames.OUTCOMES_BY_ACTION, names.remediationOutcomes(),
                RunnerNames.PROPOSALS_BY_ACTION, names.remediationOutcomes())));
        props.put(DeadLetterRouting.GLOBAL_TOPICS, names.ownership() + "," + names.automationControl());
        if (config.getReplicationFactor() > 0) {
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.getReplicationFactor());
        }
        if (!config.getGroupInstanceId().isEmpty()) {
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.getGroupInstanceId());
        }
        return props;
    }

    /** Creates what is missing, checks the partition counts, builds the topology and starts it. */
    public synchronized void start() {
        Topics topics = pipeline.topics();
        TopicNames names = topics.names();
        admin = Admin.create(pipeline.kafka().common());
        OptionalInt incidents = TopicCreator.partitionsOf(admin, names.incidents());
        int partitions = incidents.orElse(config.getTopicPartitions());
        TopicCreator creator = new TopicCreator(admin, partitions, config.getReplicationFactor());
        List<String> keyedByIncident = List.of(names.incidents(), names.remediationOutcomes(), names.playbookCommands());
        List<String> plain = new ArrayList<>(keyedByIncident);
        plain.addAll(List.of(names.playbookRuns(), names.approvalRequests(), names.approvalDecisions()));
        List.of(names.incidents(), names.remediationOutcomes(), names.playbookCommands(), names.approvalDecisions())
                .forEach(topic -> plain.add(TopicNames.deadLetter(topic)));
        playbooks.actions().forEach(action -> plain.add(names.actions(action)));
        creator.ensure(plain);
        creator.ensureCompacted(List.of(names.ownership(), names.automationControl(), names.actionsLedger()));
        for (String topic : keyedByIncident) {
            int count = TopicCreator.partitionsOf(admin, topic).orElse(partitions);
            if (count != partitions) {
                throw new IllegalStateException("topic " + topic + " has " + count + " partitions and " + names.incidents() + " has "
                        + partitions + ": the runner needs every topic keyed by incident id to have the same count, so that one incident's "
                        + "records meet in one task");
            }
        }
        Topology topology = RunnerTopology.build(new RunnerTopology.Settings(topics, playbooks, actions, dryRun,
                new PlaybookRunner(config.runnerSettings()), new Guardrails(config.limits()), config.getPunctuateInterval(),
                config.getRetention(), partitions, "rocksdb".equals(config.getStores()), metrics));
        LOG.info("runner topology:\n{}", topology.describe());
        streams = new KafkaStreams(topology, streamsProperties(config, pipeline));
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("a runner thread failed: {}", error.toString(), error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        LOG.info("runner started: application.id={}, {} playbooks, actions {}", config.getApplicationId(), playbooks.names().size(),
                playbooks.actions());
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
