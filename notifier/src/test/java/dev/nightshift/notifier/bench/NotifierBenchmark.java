package dev.nightshift.notifier.bench;

import dev.nightshift.notifier.jira.FakeJira;
import dev.nightshift.notifier.jira.JiraTicketSystem;
import dev.nightshift.notifier.slack.FakeSlackApi;
import dev.nightshift.registry.SchemaRegistryServer;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.Severity;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.FreePorts;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.TestBroker;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The notifier's benchmark (not a test; run by {@code notifier/bench/run.sh}): the pipeline from triage on, each
 * service as shipped in a JVM of its own (triage; the workers service, its runner and executors in dry-run; the
 * notifier), on one broker and registry, against a fake Slack Web API that keeps Slack's pace (about
 * {@code bench.slack.rate} messages per second per channel, posts and updates, a short burst; over it: 429 with
 * Retry-After) and a fake Jira, both in this JVM. Every alert's fingerprint has its own incident, whose playbook has
 * one step (planned, in dry-run): each incident gets its place in its team's Slack thread, a reply for its step's
 * outcome, a Jira ticket and a comment.
 * <ol>
 *   <li>Storm: {@code bench.storm.alerts} alerts over {@code bench.storm.fingerprints} fingerprints (so as many
 *   incidents) of {@code bench.storm.teams} teams (a channel and a Jira project each), sent evenly within
 *   {@code bench.storm.seconds}: the time from the storm's first alert until every incident is named in a Slack message
 *   at the fake, until every incident has its Jira ticket, and until every step reply is in its thread; the Slack calls
 *   made, the 429s met, and the duplicates (a notification posted twice; an incident ticketed twice).</li>
 *   <li>Steady load: {@code bench.rate} new incidents per second, over {@code bench.steady.teams} teams, for
 *   {@code bench.seconds} per round, the first {@code bench.warmup.seconds} of each left out: the p50/p99 from an
 *   incident's append to {@code incidents} (LogAppendTime, the broker's clock) to the first Slack call naming it
 *   answered by the fake (this machine's clock, the same), per round and as medians of {@code bench.rounds}.</li>
 * </ol>
 * Uses the broker and registry in KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL when set, otherwise starts the test
 * kit's. Other settings: bench.partitions (6), bench.storm.drain.seconds (600), bench.drain.seconds (60),
 * bench.slack.rate (1.0), bench.java.opts ("-Xmx512m -XX:+UseSerialGC"), bench.log.level (WARN), bench.storm and
 * bench.steady (true: run that part); and, set by run.sh, bench.triage.classpath, bench.workers.classpath and
 * bench.notifier.classpath (each service's runtime classpath).
 */
public final class NotifierBenchmark {
    private static final int STORM_ALERTS = Integer.getInteger("bench.storm.alerts", 20_000);
    private static final int STORM_FINGERPRINTS = Integer.getInteger("bench.storm.fingerprints", 2_000);
    private static final int STORM_TEAMS = Integer.getInteger("bench.storm.teams", 20);
    private static final int STORM_SECONDS = Integer.getInteger("bench.storm.seconds", 30);
    private static final int STORM_DRAIN_SECONDS = Integer.getInteger("bench.storm.drain.seconds", 600);
    private static final int RATE = Integer.getInteger("bench.rate", 20);
    private static final int STEADY_TEAMS = Integer.getInteger("bench.steady.teams", 100);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup.seconds", 10);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int DRAIN_SECONDS = Integer.getInteger("bench.drain.seconds", 60);
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 6);
    private static final double SLACK_RATE = Double.parseDouble(System.getProperty("bench.slack.rate", "1.0"));
    private static final boolean STORM = Boolean.parseBoolean(System.getProperty("bench.storm", "true"));
    private static final boolean STEADY = Boolean.parseBoolean(System.getProperty("bench.steady", "true"));
    private static final String JAVA_OPTS = System.getProperty("bench.java.opts", "-Xmx512m -XX:+UseSerialGC");
    private static final String LOG_LEVEL = System.getProperty("bench.log.level", "WARN");
    private static final String PLAYBOOK = "bench-plan";
    private static final String ACTION = "dynamodb-scale";
    private static final String TOKEN = "xoxb-bench-token";
    private static final String JIRA_USER = "bench@example.com";
    private static final String JIRA_TOKEN = "bench-jira-token";
    /** An incident id as triage makes them: the fingerprint (here bench-...) and when it opened, in base 36. */
    private static final Pattern INCIDENT_ID = Pattern.compile("bench-[a-z]+(?:-\\d+)+-[0-9a-z]+");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path LOGS = Path.of("notifier", "target", "bench-logs");

    private final String bootstrap;
    private final String registryUrl;
    private final Path work;
    private final Topics topics;
    private final FakeSlackApi slack;
    private final FakeJira jira;
    private final List<Process> services = new ArrayList<>();
    /** Incident id -> its first append to incidents (ms); fingerprint -> incident id. */
    private final Map<String, Long> opened = new ConcurrentHashMap<>();
    private final Map<String, String> incidentOf = new ConcurrentHashMap<>();
    /** Incident id -> when the fake first answered a Slack call naming it (ms). */
    private final Map<String, Long> inSlack = new ConcurrentHashMap<>();
    /** Incident ids whose step's outcome reply Slack took. */
    private final Set<String> stepReplied = ConcurrentHashMap.newKeySet();

    private NotifierBenchmark(String bootstrap, String registryUrl) throws IOException {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.work = Files.createTempDirectory("notifier-bench");
        this.topics = new Topics(TopicNames.withPrefix("nbench-" + Long.toString(System.currentTimeMillis(), 36) + "."),
                RegistryConfig.of(registryUrl));
        this.slack = new FakeSlackApi().pace(SLACK_RATE).listen(this::told);
        this.jira = new FakeJira(JIRA_USER, JIRA_TOKEN);
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        String registry = System.getenv("SCHEMA_REGISTRY_URL");
        TestBroker broker = null;
        SchemaRegistryServer registryServer = null;
        if (bootstrap == null || bootstrap.isBlank()) {
            System.out.println("starting a broker (in this JVM) and a schema registry ...");
            broker = KafkaStack.startBroker();
            bootstrap = broker.bootstrapServers();
            registryServer = SchemaRegistryServer.start(0, Files.createTempFile("bench-registry", ".log"), Duration.ofSeconds(120));
            registry = registryServer.confluentUrl();
        }
        NotifierBenchmark bench = new NotifierBenchmark(bootstrap, registry);
        int status = 0;
        try {
            bench.run();
        } catch (Exception e) {
            System.out.println("bench: failed: " + e.getMessage() + " (the services' output: " + LOGS + ")");
            status = 1;
        } finally {
            bench.stopServices();
            bench.slack.close();
            bench.jira.close();
            if (registryServer != null) {
                registryServer.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
        System.exit(status);
    }

    private void run() throws Exception {
        System.out.println(machine());
        System.out.printf(Locale.ROOT, "pipeline: alerts.raw -> triage -> incidents -> runner -> executors (dry-run) -> notifier -> fake Slack "
                        + "(%.1f msg/s per channel, 429 + Retry-After over it) and fake Jira; %d partitions; services' JVM: %s, LOG_LEVEL=%s%n",
                SLACK_RATE, PARTITIONS, JAVA_OPTS, LOG_LEVEL);
        List<String> teams = new ArrayList<>(List.of("probe"));
        for (int t = 0; t < STORM_TEAMS; t++) {
            teams.add("storm" + t);
        }
        for (int t = 0; t < STEADY_TEAMS; t++) {
            teams.add("steady" + t);
        }
        createTopics(teams);
        writeOwnership(teams);
        teams.forEach(team -> slack.channel(team, channelId(team)));
        Path playbooks = writePlaybooks();
        Files.createDirectories(LOGS);
        startTriage(playbooks);
        startWorkers(playbooks);
        startNotifier();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> read(reading), "bench-reader");
        reader.start();
        try (KafkaProducer<String, Object> producer = producer()) {
            awaitFlowing(producer);
            if (STORM) {
                storm(producer);
            }
            if (STEADY) {
                steady(producer);
            }
            System.out.println("  after the benchmark: " + load());
        } finally {
            reading.set(false);
            reader.join();
        }
    }

    // ---- the storm ----

    private void storm(KafkaProducer<String, Object> producer) throws Exception {
        System.out.printf("storm: %,d alerts over %,d fingerprints of %d teams within %d s ...%n", STORM_ALERTS, STORM_FINGERPRINTS, STORM_TEAMS,
                STORM_SECONDS);
        int callsBefore = slack.calls().size();
        long started = System.currentTimeMillis();
        long start = System.nanoTime();
        for (int i = 0; i < STORM_ALERTS; i++) {
            long due = start + (long) i * STORM_SECONDS * 1_000_000_000L / STORM_ALERTS;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int fingerprint = i % STORM_FINGERPRINTS;
            send(producer, "bench-storm-" + fingerprint, "storm" + (fingerprint % STORM_TEAMS), i / STORM_FINGERPRINTS);
        }
        producer.flush();
        long sent = System.currentTimeMillis() - started;
        Predicate<String> ofStorm = fingerprint -> fingerprint.startsWith("bench-storm-");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STORM_DRAIN_SECONDS);
        Long allInSlack = null;
        Long allInJira = null;
        Long allReplies = null;
        while (System.nanoTime() < deadline && (allInSlack == null || allInJira == null || allReplies == null)) {
            List<String> incidents = incidentsOf(ofStorm);
            long now = System.currentTimeMillis() - started;
            if (incidents.size() == STORM_FINGERPRINTS) {
                if (allInSlack == null && incidents.stream().allMatch(inSlack::containsKey)) {
                    allInSlack = incidents.stream().mapToLong(inSlack::get).max().orElse(0) - started;
                }
                if (allInJira == null && ticketed().containsAll(incidents.stream().map(JiraTicketSystem::label).toList())) {
                    allInJira = now;
                }
                if (allReplies == null && stepReplied.containsAll(incidents)) {
                    allReplies = now;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
        List<String> incidents = incidentsOf(ofStorm);
        List<FakeSlackApi.Call> calls = slack.calls().subList(callsBefore, slack.calls().size());
        long limited = calls.stream().filter(c -> c.status() == 429).count();
        Map<String, Long> posts = calls.stream().filter(c -> c.method().equals("chat.postMessage"))
                .collect(Collectors.groupingBy(c -> c.status() == 429 ? "429" : "taken", Collectors.counting()));
        System.out.printf("RESULT storm (sent in %,d ms; %,d incidents opened of %,d expected):%n", sent, incidents.size(), STORM_FINGERPRINTS);
        System.out.printf("  every incident named in Slack after %s, every incident ticketed in Jira after %s, every step reply in its thread "
                + "after %s (from the first alert)%n", seconds(allInSlack), seconds(allInJira), seconds(allReplies));
        System.out.printf("  Slack calls: %,d (%,d posts taken, %,d chat.update, %,d others); 429s met: %,d; Jira requests: %,d, tickets: %,d%n",
                calls.size(), posts.getOrDefault("taken", 0L), calls.stream().filter(c -> c.method().equals("chat.update") && c.status() != 429).count(),
                calls.stream().filter(c -> !c.method().equals("chat.update") && !c.method().equals("chat.postMessage")).count(), limited,
                jira.requests().size(), jira.issues().size());
        System.out.printf("  duplicates: %d Slack messages posted twice (same notification id), %d incidents ticketed twice (target 0)%n",
                postedTwice(), ticketedTwice());
        System.out.printf("  Slack parents per channel: %s%n", parentsPerChannel());
    }

    private static String seconds(Long ms) {
        return ms == null ? "never (within bench.storm.drain.seconds)" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private List<String> incidentsOf(Predicate<String> fingerprints) {
        return incidentOf.entrySet().stream().filter(e -> fingerprints.test(e.getKey())).map(Map.Entry::getValue).toList();
    }

    private Set<String> ticketed() {
        return jira.issues().stream().flatMap(i -> i.labels().stream()).collect(Collectors.toSet());
    }

    private long postedTwice() {
        return slack.messages().stream().map(m -> notificationId(m.metadata)).filter(id -> id != null)
                .collect(Collectors.groupingBy(id -> id, Collectors.counting())).values().stream().filter(n -> n > 1).count();
    }

    private long ticketedTwice() {
        return jira.issues().stream().flatMap(i -> i.labels().stream()).filter(l -> !l.equals(JiraTicketSystem.LABEL))
                .collect(Collectors.groupingBy(l -> l, Collectors.counting())).values().stream().filter(n -> n > 1).count();
    }

    /** How many parent messages (not replies) each storm team's channel got: one per group window. */
    private String parentsPerChannel() {
        Map<String, Long> parents = slack.messages().stream().filter(m -> m.threadTs == null && m.channel.startsWith("C0STORM"))
                .collect(Collectors.groupingBy(m -> m.channel, Collectors.counting()));
        List<Long> counts = new ArrayList<>(parents.values());
        Collections.sort(counts);
        return counts.isEmpty() ? "none" : "min " + counts.get(0) + ", max " + counts.get(counts.size() - 1) + " over " + counts.size() + " channels";
    }

    private static String notificationId(String metadata) {
        if (metadata == null) {
            return null;
        }
        Matcher m = Pattern.compile("\"notification_id\"\\s*:\\s*\"([^\"]+)\"").matcher(metadata);
        return m.find() ? m.group(1) : null;
    }

    // ---- the steady load ----

    record Percentiles(long p50, long p99, long max, int count, int never) {
        static final long NEVER = Long.MAX_VALUE;

        static Percentiles of(List<Long> values, int never) {
            List<Long> sorted = new ArrayList<>(values);
            for (int i = 0; i < never; i++) {
                sorted.add(NEVER);
            }
            Collections.sort(sorted);
            return new Percentiles(pct(sorted, 50), pct(sorted, 99), pct(sorted, 100), sorted.size(), never);
        }

        private static long pct(List<Long> sorted, int p) {
            if (sorted.isEmpty()) {
                return -1;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }

        static String ms(long value) {
            return value == NEVER ? "never" : Long.toString(value);
        }

        @Override
        public String toString() {
            return "p50 " + ms(p50) + " p99 " + ms(p99) + " max " + ms(max) + " ms over " + count + " incidents"
                    + (never == 0 ? "" : " (" + never + " not in Slack " + DRAIN_SECONDS + " s after the round)");
        }
    }

    private void steady(KafkaProducer<String, Object> producer) throws Exception {
        System.out.printf("steady load: %d incidents/s over %d teams, %d s per round, the first %d s left out; a warm-up round, then %d rounds ...%n",
                RATE, STEADY_TEAMS, SECONDS, WARMUP_SECONDS, ROUNDS);
        System.out.println("  warm-up: " + round(producer, 0));
        List<Percentiles> rounds = new ArrayList<>();
        for (int r = 1; r <= ROUNDS; r++) {
            Percentiles figures = round(producer, r);
            rounds.add(figures);
            System.out.println("  round " + r + ": " + figures);
        }
        long[] p50 = rounds.stream().mapToLong(Percentiles::p50).sorted().toArray();
        long[] p99 = rounds.stream().mapToLong(Percentiles::p99).sorted().toArray();
        System.out.printf("RESULT steady load, %d incidents/s over %d teams: incident append to incidents -> its first Slack message at the fake: "
                        + "p50 %s ms, p99 %s ms (medians of %d rounds; per round p99: %s)%n", RATE, STEADY_TEAMS, Percentiles.ms(p50[p50.length / 2]),
                Percentiles.ms(p99[p99.length / 2]), ROUNDS, rounds.stream().map(p -> Percentiles.ms(p.p99())).toList());
    }

    private Percentiles round(KafkaProducer<String, Object> producer, int round) {
        long total = (long) RATE * SECONDS;
        long measureFrom = (long) RATE * WARMUP_SECONDS;
        List<String> measured = new ArrayList<>();
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / RATE;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String fingerprint = "bench-steady-" + round + "-" + i;
            send(producer, fingerprint, "steady" + (i % STEADY_TEAMS), 0);
            if (i >= measureFrom) {
                measured.add(fingerprint);
            }
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        while (System.nanoTime() < deadline && !measured.stream().allMatch(f -> incidentOf.containsKey(f) && inSlack.containsKey(incidentOf.get(f)))) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        List<Long> latencies = new ArrayList<>();
        int never = 0;
        for (String fingerprint : measured) {
            String incident = incidentOf.get(fingerprint);
            Long told = incident == null ? null : inSlack.get(incident);
            if (told == null) {
                never++;
            } else {
                latencies.add(told - opened.get(incident));
            }
        }
        return Percentiles.of(latencies, never);
    }

    // ---- what arrives ----

    /** A Slack call the fake answered ok: the incidents it names are in Slack from now; a step's reply is noted. */
    private void told(FakeSlackApi.Call call) {
        if (!call.method().equals("chat.postMessage") && !call.method().equals("chat.update")) {
            return;
        }
        long at = call.at().toEpochMilli();
        String text = call.param("text");
        if (text != null) {
            Matcher ids = INCIDENT_ID.matcher(text);
            while (ids.find()) {
                inSlack.putIfAbsent(ids.group(), at);
            }
        }
        String id = call.notificationId();
        if (call.method().equals("chat.postMessage") && id != null && id.contains(":step:")) {
            stepReplied.add(id.substring(0, id.indexOf(":step:")));
        }
    }

    /** Reads incidents as a read_committed consumer: each incident's first append (LogAppendTime) and its fingerprint. */
    private void read(AtomicBoolean running) {
        Deserializer<Incident> incidents = topics.incidents().valueSerde().deserializer();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topics.incidents().name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    Incident incident = incidents.deserialize(record.topic(), record.value());
                    opened.putIfAbsent(incident.getIncidentId(), record.timestamp());
                    incidentOf.putIfAbsent(incident.getFingerprint(), incident.getIncidentId());
                }
            }
        }
    }

    // ---- what is sent ----

    /** One alert of {@code fingerprint}, owned by {@code team}'s service; {@code repeat}: how many came before it. */
    private void send(KafkaProducer<String, Object> producer, String fingerprint, String team, int repeat) {
        Instant now = Instant.now();
        Alert alert = Alert.newBuilder().setAlertId("alert-" + fingerprint + "-" + repeat).setSource(AlertSource.CLOUDWATCH)
                .setFingerprint(fingerprint).setState(AlertState.FIRING).setSeverity(Severity.HIGH).setName(fingerprint + " ReadThrottleEvents")
                .setTitle("Throttled reads on " + fingerprint).setService("svc-" + team).setResource("dynamodb:table/" + fingerprint)
                .setLabels(Map.of("TableName", fingerprint, "env", "staging")).setAccount("123456789012").setRegion("eu-west-1")
                .setMetricNamespace("AWS/DynamoDB").setMetricName("ReadThrottleEvents").setOccurredAt(now).setReceivedAt(now).build();
        producer.send(new ProducerRecord<>(topics.alertsRaw().name(), fingerprint, alert));
    }

    /** Sends a probe alert every second until one is in Slack: every part has settled. */
    private void awaitFlowing(KafkaProducer<String, Object> producer) {
        System.out.println("waiting for the first incident to reach Slack ...");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        for (int i = 0; System.nanoTime() < deadline; i++) {
            send(producer, "bench-probe-" + i, "probe", 0);
            producer.flush();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            if (incidentsOf(f -> f.startsWith("bench-probe-")).stream().anyMatch(inSlack::containsKey)) {
                return;
            }
        }
        throw new IllegalStateException("no incident reached Slack within 3 minutes");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private KafkaProducer<String, Object> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, topics.alertsRaw().keySerde().serializer(), (Serializer) topics.alertsRaw().valueSerde().serializer());
    }

    // ---- the world ----

    private static String channelId(String team) {
        return "C0" + team.toUpperCase(Locale.ROOT);
    }

    private static String project(String team) {
        return "P" + team.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    }

    private void createTopics(List<String> teams) throws Exception {
        TopicNames names = topics.names();
        List<NewTopic> created = new ArrayList<>();
        created.add(new NewTopic(names.incidents(), Optional.of(PARTITIONS), Optional.empty())
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
        for (String topic : List.of(names.alertsRaw(), names.remediationOutcomes(), names.playbookRuns(), names.approvalRequests(),
                names.approvalDecisions(), names.playbookCommands(), names.incidentResponses(), names.incidentOutcomes(), names.actions(ACTION),
                names.notificationsOutbox(), names.notificationsDeliveries())) {
            created.add(new NewTopic(topic, Optional.of(PARTITIONS), Optional.empty()));
        }
        for (String topic : List.of(names.ownership(), names.actionsLedger(), names.notificationsLedger(), names.notificationsSilences(),
                names.automationControl())) {
            created.add(new NewTopic(topic, Optional.of(PARTITIONS), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        Set<String> teamTopics = new HashSet<>(teams.stream().map(names::teamAlerts).toList());
        teamTopics.add(names.teamAlerts("unowned"));
        teamTopics.forEach(topic -> created.add(new NewTopic(topic, Optional.of(1), Optional.empty())));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(created).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Each team owns its service, with its own Slack channel and Jira project. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void writeOwnership(List<String> teams) throws Exception {
        var topic = topics.ownership();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config, topic.keySerde().serializer(),
                (Serializer) topic.valueSerde().serializer())) {
            for (String team : teams) {
                Ownership entry = Ownership.newBuilder().setService("svc-" + team).setTeam(team).setSlackChannel("#" + team)
                        .setJiraProject(project(team)).setUpdatedAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(topic.name(), entry.getService(), entry)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The benchmark's playbook: one change, planned in dry-run. */
    private Path writePlaybooks() throws IOException {
        return Files.writeString(work.resolve("playbooks.yaml"), """
                playbooks:
                  %s:
                    description: One change, planned in dry-run.
                    steps:
                      - name: capacity
                        action: %s
                        parameters: {table: "${alert.labels.TableName}"}
                """.formatted(PLAYBOOK, ACTION));
    }

    private Path writeRules() throws IOException {
        return Files.writeString(work.resolve("rules.yaml"), """
                rules:
                  - name: table-throttled
                    match:
                      metricNamespace: AWS/DynamoDB
                      metricName: ReadThrottleEvents
                    set: {category: capacity, severity: HIGH, playbook: %s}
                """.formatted(PLAYBOOK));
    }

    private Map<String, String> common() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("SCHEMA_REGISTRY_URL", registryUrl);
        env.put("NIGHTSHIFT_TOPICS_PREFIX", topics.names().prefix());
        env.put("LOG_LEVEL", LOG_LEVEL);
        return env;
    }

    private void startTriage(Path playbooks) throws Exception {
        Map<String, String> env = common();
        int port = FreePorts.next();
        env.put("TRIAGE_PORT", Integer.toString(port));
        env.put("TRIAGE_APPLICATION_ID", "nbench-triage-" + System.nanoTime());
        env.put("TRIAGE_STATE_DIR", Files.createDirectories(work.resolve("triage-state")).toString());
        env.put("TRIAGE_PLAYBOOKS_FILE", playbooks.toString());
        env.put("TRIAGE_RULES_FILE", writeRules().toString());
        env.put("TRIAGE_APPLICATION_SERVER", "127.0.0.1:" + port);
        start("triage", classpath("bench.triage.classpath"), "dev.nightshift.triage.TriageApplication", env);
        awaitReady("triage", "http://127.0.0.1:" + port + "/health/readiness");
    }

    private void startWorkers(Path playbooks) throws Exception {
        Map<String, String> env = common();
        int port = FreePorts.next();
        String group = Long.toString(System.nanoTime());
        env.put("WORKERS_PORT", Integer.toString(port));
        env.put("WORKERS_DRY_RUN", "true");
        env.put("WORKERS_GROUP_ID", "nbench-workers-" + group);
        env.put("WORKERS_RUNNER_APPLICATION_ID", "nbench-runner-" + group);
        env.put("WORKERS_RUNNER_STATE_DIR", Files.createDirectories(work.resolve("runner-state")).toString());
        env.put("WORKERS_RUNNER_PLAYBOOKS_FILE", playbooks.toString());
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDBENCH");
        env.put("AWS_SECRET_ACCESS_KEY", "bench-secret");
        start("workers", classpath("bench.workers.classpath"), "dev.nightshift.workers.WorkersApplication", env);
        awaitReady("workers", "http://127.0.0.1:" + port + "/health/readiness");
    }

    private void startNotifier() throws Exception {
        Map<String, String> env = common();
        int port = FreePorts.next();
        String group = Long.toString(System.nanoTime());
        env.put("NOTIFIER_PORT", Integer.toString(port));
        env.put("NOTIFIER_GROUP_ID", "nbench-notifier-" + group);
        env.put("NOTIFIER_PLANNER_APPLICATION_ID", "nbench-planner-" + group);
        env.put("NOTIFIER_PLANNER_STATE_DIR", Files.createDirectories(work.resolve("planner-state")).toString());
        env.put("SLACK_BOT_TOKEN", TOKEN);
        env.put("SLACK_API_URL", slack.url());
        env.put("SLACK_CHANNEL_RATE", Double.toString(SLACK_RATE));
        env.put("JIRA_URL", jira.url());
        env.put("JIRA_USER", JIRA_USER);
        env.put("JIRA_API_TOKEN", JIRA_TOKEN);
        start("notifier", classpath("bench.notifier.classpath"), "dev.nightshift.notifier.NotifierApplication", env);
        awaitReady("notifier", "http://127.0.0.1:" + port + "/health");
    }

    private static String classpath(String property) {
        String classpath = System.getProperty(property);
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalStateException(property + " is not set: run the benchmark with notifier/bench/run.sh");
        }
        return classpath;
    }

    private void start(String name, String classpath, String mainClass, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString() + (File.separatorChar == '\\' ? ".exe" : ""));
        command.addAll(Arrays.asList(JAVA_OPTS.trim().split("\\s+")));
        command.addAll(List.of("-cp", classpath, mainClass));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOGS.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        services.add(builder.start());
        System.out.println("started " + name + " (its output: " + LOGS.resolve(name + ".log") + ")");
    }

    private void awaitReady(String name, String url) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (services.stream().anyMatch(p -> !p.isAlive())) {
                throw new IllegalStateException(name + " stopped; see " + LOGS.resolve(name + ".log"));
            }
            if (status(url) == 200) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        throw new IllegalStateException(name + " was not ready within 3 minutes; see " + LOGS.resolve(name + ".log"));
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void stopServices() {
        for (Process service : services) {
            service.destroy();
        }
        for (Process service : services) {
            try {
                if (!service.waitFor(30, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                service.destroyForcibly();
            }
        }
    }

    // ---- the machine ----

    private static String machine() {
        String cpu = read(() -> Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU"));
        String memory = read(() -> Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> l.replaceAll("\\D+", "")).map(kb -> Long.parseLong(kb) / 1024 / 1024 + " GB").orElse("?"));
        return String.format(Locale.ROOT, "machine: %d cores (%s), %s RAM, Java %s; %s", Runtime.getRuntime().availableProcessors(), cpu, memory,
                System.getProperty("java.version"), load());
    }

    private static String load() {
        return "load average " + read(() -> String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).trim().split(" ")).subList(0, 3)))
                + " (1, 5, 15 min)";
    }

    private interface Reading {
        String get() throws IOException;
    }

    private static String read(Reading reading) {
        try {
            return reading.get();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
