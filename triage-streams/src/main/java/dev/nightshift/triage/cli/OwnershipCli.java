package dev.nightshift.triage.cli;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.schema.Ownership;
import dev.nightshift.serde.SchemaRegistryException;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.ownership.OwnershipChanges;
import dev.nightshift.triage.ownership.OwnershipFile;
import dev.nightshift.triage.service.TopicProvisioner;
import dev.nightshift.triage.service.TriageConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

/**
 * {@code OwnershipCli apply FILE.yaml}: makes the compacted ownership topic say what the file says.
 * Reads the topic's current entries first, publishes an upsert for each new or changed service and a
 * tombstone for each service no longer in the file, creates the topics of teams that have none yet,
 * and prints what changed. Settings from the environment: KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL,
 * NIGHTSHIFT_TOPICS_PREFIX (and KAFKA_CLIENT_CONFIG, SCHEMA_REGISTRY_USER_INFO), and
 * TRIAGE_TEAM_TOPIC_PARTITIONS and TRIAGE_REPLICATION_FACTOR for the team topics it creates, as the triage app
 * reads them (defaults 1 and -1, the broker's default).
 */
public final class OwnershipCli {
    private OwnershipCli() {
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv()::get, System.out, System.err);
        System.exit(status);
    }

    /** Runs the command; returns the process exit status. */
    public static int run(String[] args, UnaryOperator<String> env, PrintStream out, PrintStream err) {
        if (args.length != 2 || !"apply".equals(args[0])) {
            err.println("usage: OwnershipCli apply FILE.yaml");
            return 2;
        }
        List<Ownership> desired;
        try {
            desired = OwnershipFile.load(args[1], Instant.now());
        } catch (IllegalArgumentException e) {
            err.println("ownership file refused: " + e.getMessage());
            return 1;
        }
        OwnershipFile.warnings(desired).forEach(w -> err.println("warning: " + w));
        PipelineSettings settings = PipelineSettings.from(key -> {
            String value = env.apply(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            return value == null || value.isBlank() ? null : value;
        });
        Integer teamPartitions = setting(env, "TRIAGE_TEAM_TOPIC_PARTITIONS", new TriageConfig().getTeamTopicPartitions(),
                n -> n >= 1, "a positive number", err);
        Integer replicationFactor = setting(env, "TRIAGE_REPLICATION_FACTOR", (int) new TriageConfig().getReplicationFactor(),
                n -> n == -1 || (n >= 1 && n <= Short.MAX_VALUE), "-1 (the broker's default) or a positive number", err);
        if (teamPartitions == null || replicationFactor == null) {
            return 2;
        }
        try {
            OwnershipChanges changes = apply(settings, desired, teamPartitions, replicationFactor.shortValue());
            changes.describe().forEach(out::println);
            out.printf("ownership: %d added, %d changed, %d removed, %d unchanged (topic %s)%n", changes.added().size(),
                    changes.updated().size(), changes.removed().size(), changes.unchanged(), settings.topicNames().ownership());
            return 0;
        } catch (RuntimeException e) {
            err.println("ownership apply failed: " + e.getMessage());
            return 1;
        }
    }

    /** The integer in environment variable {@code name}, its default when unset, or null (after saying why) when invalid. */
    private static Integer setting(UnaryOperator<String> env, String name, int fallback, IntPredicate valid, String expected,
                                   PrintStream err) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (valid.test(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        err.println(name + " must be " + expected + ", got '" + value + "'");
        return null;
    }

    /**
     * Publishes the difference between the topic and {@code desired}, after creating the missing topics of
     * the file's teams with {@code teamPartitions} partitions and {@code replicationFactor} replicas (-1: the
     * broker's default), as the triage app would; returns the difference.
     */
    public static OwnershipChanges apply(PipelineSettings settings, List<Ownership> desired, int teamPartitions,
                                         short replicationFactor) {
        Topics topics = settings.topics();
        Topic<String, Ownership> topic = topics.ownership();
        Entries current = read(settings, topic);
        OwnershipChanges changes = OwnershipChanges.between(current.entries(), current.unreadable(), desired);
        try (Admin admin = Admin.create(settings.kafka().common())) {
            // only team topics are created here, so the count for other topics never applies
            TopicProvisioner provisioner = new TopicProvisioner(admin, topics.names(), teamPartitions, teamPartitions, replicationFactor,
                    Duration.ofSeconds(30));
            Set<String> teams = new TreeSet<>();
            desired.forEach(o -> teams.add(o.getTeam()));
            for (String team : teams) {
                provisioner.ensure(team, Duration.ofSeconds(30));
            }
        }
        if (changes.isEmpty()) {
            return changes;
        }
        Map<String, Object> config = settings.kafka().producer("nightshift-ownership-cli");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Ownership o : changes.added()) {
                send(producer, topic, o.getService(), o);
            }
            for (OwnershipChanges.Change c : changes.updated()) {
                send(producer, topic, c.after().getService(), c.after());
            }
            for (String service : changes.removed()) {
                send(producer, topic, service, null);
            }
            producer.flush();
        }
        return changes;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topic<String, Ownership> topic, String service, Ownership value) {
        byte[] key = topic.keySerde().serializer().serialize(topic.name(), service);
        byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not publish the ownership of " + service + ": " + e.getMessage(), e);
        }
    }

    /** The topic's entries as of now: the latest record per service, tombstoned services left out. */
    public static Map<String, Ownership> readCurrent(PipelineSettings settings, Topic<String, Ownership> topic) {
        return read(settings, topic).entries();
    }

    /**
     * The topic's latest record per key: the readable ones as entries, and the keys of those that cannot be
     * read (not in the wire format, an unknown schema id, a body that does not decode) with why.
     */
    record Entries(Map<String, Ownership> entries, Map<String, String> unreadable) {
    }

    static Entries read(PipelineSettings settings, Topic<String, Ownership> topic) {
        Map<String, Object> config = settings.kafka().consumer("unused", "nightshift-ownership-cli");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, Ownership> current = new HashMap<>();
        Map<String, String> unreadable = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic.name() + " does not exist");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic.name());
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String service = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
                    current.remove(service);
                    unreadable.remove(service);
                    if (record.value() != null) {
                        try {
                            current.put(service, topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
                        } catch (RuntimeException e) {
                            if (SchemaRegistryException.isRegistryTrouble(e)) {
                                throw e;   // the registry's trouble, not the record's
                            }
                            unreadable.put(service, record.partition() + "@" + record.offset() + ", " + DeadLetters.describe(e));
                        }
                    }
                }
            }
        }
        return new Entries(current, unreadable);
    }
}
