package dev.nightshift.deploy;

import dev.nightshift.deploy.check.PipelineFiles;
import dev.nightshift.deploy.check.ServiceSettings;
import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Ownership;
import dev.nightshift.serde.SchemaRegistryException;
import dev.nightshift.topics.Topic;
import dev.nightshift.triage.analytics.RuleBacktest;
import dev.nightshift.triage.cli.OwnershipCli;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.ownership.OwnerResolver;
import dev.nightshift.triage.ownership.OwnershipIndex;
import dev.nightshift.triage.service.TriageRuntime;
import dev.nightshift.workers.actions.ActionCatalog;
import dev.nightshift.workers.actions.Actions;
import dev.nightshift.workers.actions.AwsClients;
import dev.nightshift.workers.playbook.Playbook;
import dev.nightshift.workers.playbook.Playbooks;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./pipeline backtest}: the alerts still retained on {@code alerts.raw} since a time, triaged by triage's own
 * code twice, with the rules (and playbooks) triage is configured with and with the proposed ones, both with the
 * current ownership from the ownership topic (or, with {@code --ownership}, a proposed ownership file on the proposed
 * side); prints per rule the alerts it matches before and after and the incidents that would change. It reads with a
 * consumer in no group (assigned partitions, nothing committed) and writes nothing. Exit status: 0 done, 1 a file has
 * problems or the cluster could not be read, 2 a bad command line.
 */
public final class Backtest {
    static final String USAGE = """
            usage: ./pipeline backtest --rules FILE [--playbooks FILE] [--ownership FILE] [--since 7d]
              --rules FILE        the proposed classification rules
              --playbooks FILE    the proposed playbooks (default: the current ones)
              --ownership FILE    a proposed ownership file (default: the current ownership on the ownership topic)
              --since TIME        the oldest alerts to replay: a duration back from now (7d, 24h, 90m, PT2H) or an
                                  instant (2026-11-20T10:00:00Z); default 7d
            the current rules and playbooks are triage's (TRIAGE_RULES_FILE, else the bundled rules; WORKERS_RUNNER_PLAYBOOKS_FILE,
            else TRIAGE_PLAYBOOKS_FILE, else the shipped ones); the cluster: KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL,
            KAFKA_CLIENT_CONFIG, NIGHTSHIFT_TOPICS_PREFIX; writes nothing""";
    static final Duration DEFAULT_SINCE = Duration.ofDays(7);
    private static final Set<String> OPTIONS = Set.of("rules", "playbooks", "ownership", "since");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([dhm])");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private Backtest() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System::getenv, Clock.systemUTC(), System.out, System.err));
    }

    static int run(String[] args, UnaryOperator<String> env, Clock clock, PrintStream out, PrintStream err) {
        Map<String, String> options;
        Instant since;
        try {
            options = Check.options(args, OPTIONS);
            if (options.containsKey("help")) {
                out.println(USAGE);
                return 0;
            }
            if (!options.containsKey("rules")) {
                throw new IllegalArgumentException("--rules FILE is required: the rules to try");
            }
            since = since(options.get("since"), clock.instant());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        ServiceSettings settings;
        try {
            settings = ServiceSettings.from(env);
        } catch (IllegalArgumentException e) {
            out.println("problem: " + e.getMessage());
            return 1;
        }
        String runnerPlaybooks = settings.runner().getPlaybooksFile();
        String currentPlaybooks = runnerPlaybooks.isBlank() ? settings.triage().getPlaybooksFile() : runnerPlaybooks;
        PipelineFiles.Checked current;
        PipelineFiles.Checked proposed;
        try (AwsClients clients = AwsClients.inRegion("us-east-1")) {
            ActionCatalog catalog = Actions.catalog(clients, clock);
            current = PipelineFiles.check(new PipelineFiles.Sources(settings.triage().getRulesFile(), currentPlaybooks, null),
                    catalog::spec, clock.instant());
            proposed = PipelineFiles.check(new PipelineFiles.Sources(options.get("rules"),
                    options.getOrDefault("playbooks", currentPlaybooks), options.get("ownership")), catalog::spec, clock.instant());
        }
        if (!current.valid() || !proposed.valid()) {
            current.problems().forEach(p -> out.println("problem (current files): " + p));
            proposed.problems().forEach(p -> out.println("problem: " + p));
            out.println("nothing replayed: triage or the runner would refuse these files (./pipeline check says more)");
            return 1;
        }

        PipelineSettings pipeline = PipelineSettings.from(key -> {
            String value = env.apply(ServiceSettings.variable(key));
            return value == null || value.isBlank() ? null : value;
        });
        List<Ownership> ownership;
        Retained retained;
        try {
            ownership = List.copyOf(OwnershipCli.readCurrent(pipeline, pipeline.topics().ownership()).values());
            retained = read(pipeline, pipeline.topics().alertsRaw(), since);
        } catch (RuntimeException e) {
            out.println("problem: could not read the cluster at " + pipeline.kafka().bootstrapServers() + ": " + e.getMessage());
            return 1;
        }

        OwnershipIndex currentOwners = new OwnershipIndex(ownership);
        RuleBacktest backtest = new RuleBacktest(
                new RuleBacktest.Side(current.rules(), currentOwners, steps(current.playbooks())),
                new RuleBacktest.Side(proposed.rules(), proposed.ownership() == null ? currentOwners : new OwnershipIndex(proposed.ownership()),
                        steps(proposed.playbooks())),
                new OwnerResolver(settings.triage().getDefaultTeam()), new IncidentLifecycle(TriageRuntime.lifecycle(settings.triage())));
        RuleBacktest.Result result = backtest.run(retained.alerts());

        out.println("current:  rules " + current.origins().rules() + ", playbooks " + current.origins().playbooks() + ", ownership: "
                + ownership.size() + " services on " + pipeline.topicNames().ownership());
        out.println("proposed: rules " + proposed.origins().rules() + ", playbooks " + proposed.origins().playbooks() + ", ownership: "
                + (proposed.ownership() == null ? "the current" : proposed.ownership().size() + " services in " + proposed.origins().ownership()));
        out.println("alerts:   " + retained.alerts().size() + " on " + pipeline.topicNames().alertsRaw() + " since " + since);
        retained.unreadable().forEach(u -> out.println("skipped:  " + u));
        out.println();
        RuleBacktest.describe(result).forEach(out::println);
        return 0;
    }

    /** The oldest time to replay: {@code 7d}, {@code 24h}, {@code 90m} or an ISO duration back from now, or an instant. */
    static Instant since(String value, Instant now) {
        if (value == null) {
            return now.minus(DEFAULT_SINCE);
        }
        Matcher shortForm = SHORT_DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return now.minus(switch (shortForm.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMinutes(amount);
            });
        }
        try {
            return now.minus(Duration.parse(value.trim()));
        } catch (DateTimeParseException notADuration) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--since '" + value + "' is neither a duration (7d, 24h, 90m, PT2H) nor an instant "
                        + "(2026-11-20T10:00:00Z)");
            }
        }
    }

    /** A playbook's steps as one line (each step's name and its action, or manual), or null when the playbooks do not have it. */
    private static Function<String, String> steps(Playbooks playbooks) {
        return name -> playbooks.find(name).map(Backtest::steps).orElse(null);
    }

    private static String steps(Playbook playbook) {
        return String.join(", ", playbook.steps().stream()
                .map(step -> step.name() + " (" + (step.manual() ? "manual" : step.action()) + ")").toList());
    }

    /** The alerts read, and a line for each record that is not one. */
    record Retained(List<Alert> alerts, List<String> unreadable) {
    }

    /**
     * The alerts on the topic from {@code since} to the end offsets as they were when reading began, with a consumer in
     * no group: assigned, positioned by {@link KafkaConsumer#offsetsForTimes}, nothing committed. Each partition's
     * alerts stay in their order; the partitions are merged by record time, so the output does not depend on which
     * partition a poll happened to return first.
     */
    static Retained read(PipelineSettings settings, Topic<String, Alert> topic, Instant since) {
        Map<String, Object> config = settings.kafka().consumer("unused", "nightshift-backtest");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<Integer, ArrayDeque<ConsumerRecord<byte[], byte[]>>> byPartition = new TreeMap<>();
        List<String> unreadable = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), READ_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic.name() + " does not exist");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(times, READ_TIMEOUT);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp offset = start.get(partition);
                consumer.seek(partition, offset == null ? end.get(partition) : offset.offset());
                byPartition.put(partition.partition(), new ArrayDeque<>());
            }
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic.name());
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.get(partition)) {
                        byPartition.get(record.partition()).add(record);
                    }
                }
            }
        }
        List<Alert> alerts = new ArrayList<>();
        Comparator<ArrayDeque<ConsumerRecord<byte[], byte[]>>> oldestHead = Comparator.comparingLong(q -> q.peek().timestamp());
        List<ArrayDeque<ConsumerRecord<byte[], byte[]>>> queues = new ArrayList<>(byPartition.values());   // by partition, for ties
        while (true) {
            ArrayDeque<ConsumerRecord<byte[], byte[]>> next = queues.stream().filter(q -> !q.isEmpty()).min(oldestHead).orElse(null);
            if (next == null) {
                break;
            }
            ConsumerRecord<byte[], byte[]> record = next.poll();
            Alert alert = alert(topic, record, unreadable);
            if (alert != null) {
                alerts.add(alert);
            }
        }
        return new Retained(alerts, unreadable);
    }

    /** The record as triage takes it (keyed by its fingerprint), or null, with a line in {@code unreadable} saying why. */
    private static Alert alert(Topic<String, Alert> topic, ConsumerRecord<byte[], byte[]> record, List<String> unreadable) {
        String where = record.topic() + " " + record.partition() + "@" + record.offset();
        try {
            String fingerprint = record.key() == null ? null : topic.keySerde().deserializer().deserialize(topic.name(), record.key());
            if (fingerprint == null || fingerprint.isEmpty()) {
                unreadable.add(where + ": no fingerprint key (triage dead-letters it)");
                return null;
            }
            if (record.value() == null) {
                unreadable.add(where + ": no value");
                return null;
            }
            Alert alert = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
            alert.setFingerprint(fingerprint);
            return alert;
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isRegistryTrouble(e)) {
                throw e;   // the registry's trouble, not the record's
            }
            unreadable.add(where + ": " + DeadLetters.describe(e) + " (triage dead-letters it)");
            return null;
        }
    }
}
