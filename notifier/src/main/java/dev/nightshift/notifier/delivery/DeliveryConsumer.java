package dev.nightshift.notifier.delivery;

import dev.nightshift.kafka.OffsetTransactions;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.kafka.RetryPolicy;
import dev.nightshift.kafka.TopicCreator;
import dev.nightshift.schema.Notification;
import dev.nightshift.topics.Topics;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The delivery worker: consumes {@code notifications.outbox} in group {@code NOTIFIER_GROUP_ID} and delivers each
 * notification at most once ({@link Deliveries}), recording what it made on {@code notifications.ledger} and what people
 * were told on {@code notifications.deliveries}.
 * <p>
 * Retry behaviour ({@link #retryPolicy}): a delivery refused with 429 or 5xx, or whose service could not be reached
 * ({@link DeliveryFailures}), is tried again for up to {@code retry-budget} (NOTIFIER_RETRY_BUDGET) from its first try:
 * after as long as the service's {@code Retry-After} asked, or else after 1 s, 2 s, 4 s and so on, never more than
 * {@code retry-max-wait} (NOTIFIER_RETRY_MAX_WAIT) at once. While it waits, the records behind it on its partition (its
 * Slack thread) wait too and the worker polls on. A delivery given up on, a permanent refusal (at once) and an
 * undecodable record go to {@code notifications.outbox.dlq}, with a FAILED Delivery when the record could be read.
 * <p>
 * The constructor only builds: the loop starts once the application has started (or {@link #start()}), and stops when
 * it shuts down.
 */
@Singleton
public class DeliveryConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryConsumer.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /** A transaction holds a few records and lasts milliseconds (no call is made inside one). */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    /** The longest the poll thread blocks on Kafka (a metadata fetch, a commit) before the record waits and is tried again. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(10);
    /** Records per poll: enough for a newer update to be seen behind an older one; a batch is bounded in time besides. */
    static final int MAX_POLL_RECORDS = 100;

    private final DeliveryLoop loop;
    private final Admin admin;
    private final DeliveryConfig config;
    private final String outbox;

    public DeliveryConsumer(PipelineSettings settings, DeliveryConfig config, Deliverer deliverer, DeliveryMetrics metrics) {
        this.config = config;
        Topics topics = settings.topics();
        this.outbox = topics.notificationsOutbox().name();
        String transactionalId = config.getGroupId() + "-" + (config.getGroupInstanceId().isBlank() ? UUID.randomUUID() : config.getGroupInstanceId());
        Map<String, Object> producerConfig = settings.kafka().producer("nightshift-notifier");
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        producerConfig.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
        this.admin = Admin.create(settings.kafka().common());
        OffsetTransactions transactions = new OffsetTransactions(() -> new KafkaProducer<>(producerConfig), "NOTIFIER_GROUP_INSTANCE_ID");
        Deliveries deliveries = new Deliveries(deliverer, transactions, topics.notificationsLedger(), topics.notificationsDeliveries(),
                worker(config), Clock.systemUTC(), metrics);
        Ledger ledger = new Ledger(topics.notificationsLedger(), new KafkaConsumer<>(ledgerReaderConfig(settings)));
        this.loop = new DeliveryLoop("notifier-delivery", new KafkaConsumer<>(consumerConfig(settings, config)), outbox,
                new TopicCreator(admin, 1, (short) -1)::ensure, topics.valueSerde(Notification.class).deserializer(), deliveries, ledger,
                retryPolicy(config), metrics);
    }

    /** The worker's retries: see the class comment. */
    static RetryPolicy<Notification> retryPolicy(DeliveryConfig config) {
        return RetryPolicy.<Notification>within(config.getRetryBudget(), FIRST_BACKOFF, config.getRetryMaxWait(),
                DeliveryFailures::retryable).honouring(DeliveryFailures::requestedWait);
    }

    static Map<String, Object> consumerConfig(PipelineSettings settings, DeliveryConfig config) {
        Map<String, Object> consumer = settings.kafka().consumer(config.getGroupId(), "nightshift-notifier", config.getGroupInstanceId());
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        return consumer;
    }

    /** The ledger's reader: no group, committed records only. */
    private static Map<String, Object> ledgerReaderConfig(PipelineSettings settings) {
        Map<String, Object> reader = new HashMap<>(settings.kafka().common());
        reader.put(ConsumerConfig.CLIENT_ID_CONFIG, "nightshift-notifier-ledger");
        reader.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        reader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        reader.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        reader.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return reader;
    }

    /** How the ledger names this worker: its instance id if it has one, and its host and process. */
    private static String worker(DeliveryConfig config) {
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
        start();
    }

    /** Starts the loop (the application does at startup). */
    public DeliveryConsumer start() {
        loop.start();
        LOG.info("notifier delivering {} ({}; {})", outbox, config, retryPolicy(config));
        return this;
    }

    public DeliveryLoop loop() {
        return loop;
    }

    @PreDestroy
    public void close() {
        loop.close();
        admin.close(Duration.ofSeconds(5));
    }
}
