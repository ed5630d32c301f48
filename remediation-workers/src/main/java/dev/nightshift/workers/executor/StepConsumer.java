package dev.nightshift.workers.executor;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.kafka.TopicCreator;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.Topics;
import dev.nightshift.workers.WorkersConfig;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Consumes every {@code actions.<action>} topic and runs each step request once, through {@link StepLoop} and
 * {@link StepTransactions}: one outcome per request on {@code remediation.outcomes}, and a change made at most once,
 * recorded on {@code actions.ledger} before it is made.
 * <p>
 * Retry behaviour: none for a request whose action was called. The executor makes one attempt per request and records
 * whether another could succeed ({@code results.retryable}); the runner decides whether to send a new request. What is
 * not the request's fault (the schema registry, Kafka's transactions) is waited out, however long it takes, before the
 * action is called. An undecodable request goes to {@code actions.<action>.dlq}.
 * <p>
 * The constructor only builds: the loop starts once the application has started, and stops when it shuts down.
 */
@Singleton
public class StepConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(StepConsumer.class);
    /** A transaction holds a few records and lasts milliseconds (no action is called inside one); a worker killed in one holds read_committed readers back this long at most. */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    /** The longest the poll thread blocks on Kafka (a metadata fetch, a commit) before the request waits and is tried again. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(10);
    /** The most requests read at one poll, decided in one batch (Kafka's default). */
    static final int MAX_POLL_RECORDS = 500;

    private final StepLoop loop;
    private final Admin admin;
    private final Pattern subscription;
    private final Topics topics;
    private final StepExecutor executor;
    private final WorkersConfig config;

    public StepConsumer(PipelineSettings settings, StepExecutor executor, WorkersConfig config, StepMetrics metrics) {
        this.executor = executor;
        this.config = config;
        this.topics = settings.topics();
        this.subscription = actionTopics(topics);
        String transactionalId = config.getGroupId() + "-" + (config.getGroupInstanceId().isBlank() ? UUID.randomUUID() : config.getGroupInstanceId());
        Map<String, Object> producerConfig = settings.kafka().producer("nightshift-workers");
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        producerConfig.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
        Map<String, Object> consumerConfig = settings.kafka().consumer(config.getGroupId(), "nightshift-workers", config.getGroupInstanceId());
        // Action topics appear as playbooks name new actions: look for them every few seconds.
        consumerConfig.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5000);
        // A poll batch ends after its first call to an action (StepLoop): its other requests are decided without a call
        // and share one transaction; a poll still waits for one call at most.
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        this.admin = Admin.create(settings.kafka().common());
        StepTransactions transactions = new StepTransactions(() -> new KafkaProducer<>(producerConfig), executor,
                topics.remediationOutcomes(), topics.actionsLedger(), worker(config), Clock.systemUTC(), metrics);
        this.loop = new StepLoop("workers-actions", new KafkaConsumer<>(consumerConfig), subscription,
                new TopicCreator(admin, 1, (short) -1)::ensure, topics.valueSerde(RemediationRequest.class).deserializer(), transactions);
    }

    /**
     * Every {@code actions.<action>} topic but the pipeline's own topics whose names look like one ({@code actions.ledger}):
     * an action cannot be named after them.
     */
    static Pattern actionTopics(Topics topics) {
        String own = topics.fixedTopics().stream().map(Topic::name).map(Pattern::quote).collect(Collectors.joining("|"));
        return Pattern.compile("(?!(?:" + own + ")$)" + topics.names().actionsPattern().pattern());
    }

    /** How the ledger names this worker: its instance id if it has one, and its host and process. */
    private static String worker(WorkersConfig config) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String process = host + ":" + ProcessHandle.current().pid();
        return config.getGroupInstanceId().isBlank() ? process : config.getGroupInstanceId() + "@" + process;
    }

    @EventListener
    void start(ApplicationStartupEvent started) {
        loop.start();
        LOG.info("workers consuming {} but {} (dry-run: {}{}, actions: {})", topics.names().actionsPattern(), topics.actionsLedger(), config.isDryRun(),
                config.getDryRunActions().isEmpty() ? "" : ", always for " + config.getDryRunActions(), executor.catalog().names());
    }

    public StepLoop loop() {
        return loop;
    }

    @PreDestroy
    void close() {
        loop.close();
        admin.close(Duration.ofSeconds(5));
    }
}
