package dev.nightshift.notifier.delivery;

import dev.nightshift.kafka.ConsumerLoop;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The delivery workers: {@code delivery-threads} (NOTIFIER_DELIVERY_THREADS) loops, each a consumer of
 * {@code notifications.outbox} in group {@code NOTIFIER_GROUP_ID} with a transactional producer of its own, delivering
 * the partitions the group assigns it, each notification at most once ({@link Deliveries}), recording what it made on
 * {@code notifications.ledger} and what people were told on {@code notifications.deliveries}. A partition (a Slack
 * thread) has one owner at a time, so its notifications keep their order; the workers share the Slack, ticket and pager
 * clients and the per-channel pace.
 * <p>
 * With static membership each worker's {@code group.instance.id} and transactional id are NOTIFIER_GROUP_INSTANCE_ID
 * with its index appended, so a restarted worker takes its partitions back and fences its previous self; without it,
 * the transactional ids are made unique per process.
 * <p>
 * Retry behaviour ({@link #retryPolicy}): a delivery refused with 429 or 5xx, or whose service could not be reached
 * ({@link DeliveryFailures}), is tried again for up to {@code retry-budget} (NOTIFIER_RETRY_BUDGET) from its first try:
 * after as long as the service's {@code Retry-After} asked, or else after 1 s, 2 s, 4 s and so on, never more than
 * {@code retry-max-wait} (NOTIFIER_RETRY_MAX_WAIT) at once. While it waits, the records behind it on its partition (its
 * Slack thread) wait too and the worker polls on. A delivery given up on, a permanent refusal (at once) and an
 * undecodable record go to {@code notifications.outbox.dlq}, with a FAILED Delivery when the record could be read.
 * <p>
 * The constructor only builds: the loops start once the application has started (or {@link #start()}), and stop when
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
    static final String NAME = "notifier-delivery";

    private final List<DeliveryLoop> loops = new ArrayList<>();
    private final Admin admin;
    private final DeliveryConfig config;
    private final String outbox;

    public DeliveryConsumer(PipelineSettings settings, DeliveryConfig config, Deliverer deliverer, DeliveryMetrics metrics) {
        this.config = config;
        Topics topics = settings.topics();
        this.outbox = topics.notificationsOutbox().name();
        this.admin = Admin.create(settings.kafka().common());
        String process = config.getGroupInstanceId().isBlank() ? UUID.randomUUID().toString() : null;
        for (int index = 0; index < config.getDeliveryThreads(); index++) {
            Map<String, Object> producerConfig = settings.kafka().producer("nightshift-notifier");
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    config.getGroupId() + "-" + (process != null ? process + "-" + index : memberId(config, index)));
            producerConfig.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
            producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
            OffsetTransactions transactions = new OffsetTransactions(() -> new KafkaProducer<>(producerConfig), "NOTIFIER_GROUP_INSTANCE_ID");
            Deliveries deliveries = new Deliveries(deliverer, transactions, topics.notificationsLedger(), topics.notificationsDeliveries(),
                    worker(config, index), Clock.systemUTC(), metrics);
            Ledger ledger = new Ledger(topics.notificationsLedger(), new KafkaConsumer<>(ledgerReaderConfig(settings)));
            loops.add(new DeliveryLoop(NAME + "-" + index, new KafkaConsumer<>(consumerConfig(settings, config, index)), outbox,
                    new TopicCreator(admin, 1, (short) -1)::ensure, topics.valueSerde(Notification.class).deserializer(), deliveries,
                    ledger, retryPolicy(config), metrics));
        }
    }

    /** The worker's retries: see the class comment. */
    static RetryPolicy<Notification> retryPolicy(DeliveryConfig config) {
        return RetryPolicy.<Notification>within(config.getRetryBudget(), FIRST_BACKOFF, config.getRetryMaxWait(),
                DeliveryFailures::retryable).honouring(DeliveryFailures::requestedWait);
    }

    /** Worker {@code index}'s consumer: a member of the group, with its own static membership id when the instance has one. */
    static Map<String, Object> consumerConfig(PipelineSettings settings, DeliveryConfig config, int index) {
        Map<String, Object> consumer = settings.kafka().consumer(config.getGroupId(), "nightshift-notifier",
                config.getGroupInstanceId().isBlank() ? "" : memberId(config, index));
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        return consumer;
    }

    /** Worker {@code index}'s static membership (and transactional) id: the instance's with the index appended. */
    static String memberId(DeliveryConfig config, int index) {
        return config.getGroupInstanceId() + "-" + index;
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

    /** How the ledger names a worker: its member id if it has one, or its index, and its host and process. */
    private static String worker(DeliveryConfig config, int index) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String process = host + ":" + ProcessHandle.current().pid();
        return (config.getGroupInstanceId().isBlank() ? NAME + "-" + index : memberId(config, index)) + "@" + process;
    }

    @EventListener
    void start(ApplicationStartupEvent started) {
        start();
    }

    /** Starts the loops (the application does at startup). */
    public DeliveryConsumer start() {
        loops.forEach(DeliveryLoop::start);
        LOG.info("notifier delivering {} on {} threads ({}; {})", outbox, loops.size(), config, retryPolicy(config));
        return this;
    }

    /** The workers as one loop for readiness: ready when every worker has its assignment. */
    public ConsumerLoop loop() {
        return new ConsumerLoop() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public boolean healthy() {
                return loops.stream().allMatch(DeliveryLoop::healthy);
            }

            @Override
            public boolean ready() {
                return loops.stream().allMatch(DeliveryLoop::ready);
            }

            @Override
            public int assignedPartitions() {
                return loops.stream().mapToInt(DeliveryLoop::assignedPartitions).sum();
            }

            @Override
            public int waitingPartitions() {
                return loops.stream().mapToInt(DeliveryLoop::waitingPartitions).sum();
            }
        };
    }

    @PreDestroy
    public void close() {
        loops.forEach(DeliveryLoop::stop);
        loops.forEach(DeliveryLoop::close);
        admin.close(Duration.ofSeconds(5));
    }
}
