package dev.nightshift.workers.bench;

import dev.nightshift.registry.SchemaRegistryServer;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.Severity;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.FreePorts;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.TestBroker;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.workers.WorkersApplication;
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

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The playbook runner's benchmark (not a test; run by {@code remediation-workers/bench/run.sh}): the pipeline from
 * triage on, each service as shipped in a JVM of its own (triage; the workers service: the runner and the executors),
 * on one broker and registry, everything exactly-once and the workers in dry-run (each step of {@link #PLAYBOOK} is a
 * change, planned and recorded, nothing called). Alerts, each opening an incident whose playbook has three steps, go
 * to {@code alerts.raw} at a steady rate; every topic measured uses LogAppendTime, so every time is the broker's:
 * <ol>
 *   <li>first outcome: from the append of the alert to {@code alerts.raw} to the append of its incident's first
 *   step's outcome to {@code remediation.outcomes} (and, broken down: to the incident's append to {@code incidents},
 *   to the first step's request's append to {@code actions.<action>}, to its outcome's);</li>
 *   <li>next step: from the append of a step's outcome to {@code remediation.outcomes} to the append of the next
 *   step's request to {@code actions.<action>}.</li>
 * </ol>
 * A warm-up round first (not counted), then {@code bench.rounds} rounds; in each, only the alerts sent after
 * {@code bench.warmup.seconds} count; each round's p50 and p99, then their medians.
 * Uses the broker and registry in KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL when set, otherwise starts the test
 * kit's (the broker in this JVM, the registry as a child process).
 * Settings (system properties): bench.rate (1000 alerts/s), bench.seconds (30), bench.warmup.seconds (10),
 * bench.rounds (3), bench.partitions (6), bench.drain.seconds (120: how long a round waits for its last outcomes; a run still
 * without one then counts as later than any), bench.workers (1: instances of the workers service, one group),
 * bench.triage (true; false: incidents are written to {@code incidents} as triage would, and times start there),
 * bench.java.opts (the services' JVM options, "-Xmx512m -XX:+UseSerialGC"), bench.log.level (the services' LOG_LEVEL,
 * WARN); and, set by run.sh, bench.workers.classpath and bench.triage.classpath (each service's runtime classpath).
 */
public final class RunnerBenchmark {
    private static final int RATE = Integer.getInteger("bench.rate", 1_000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup.seconds", 10);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 6);
    private static final int DRAIN_SECONDS = Integer.getInteger("bench.drain.seconds", 120);
    private static final boolean TRIAGE = Boolean.parseBoolean(System.getProperty("bench.triage", "true"));
    private static final String JAVA_OPTS = System.getProperty("bench.java.opts", "-Xmx512m -XX:+UseSerialGC");
    private static final String LOG_LEVEL = System.getProperty("bench.log.level", "WARN");
    private static final int WORKERS = Integer.getInteger("bench.workers", 1);
    private static final String PLAYBOOK = "bench-dry-run";
    /** The playbook's steps' actions, in order: a step's requests are on its action's topic. */
    private static final List<String> ACTIONS = List.of("dynamodb-scale", "lambda-concurrency", "ecs-remediate");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String bootstrap;
    private final String registryUrl;
    private final Path work;
    private final Topics topics;
    private final List<Process> services = new ArrayList<>();
    /** Key (alert fingerprint) -> append time on alerts.raw, or (incident id) on incidents when triage does not run. */
    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    /** Alert fingerprint -> the incident it opened, and that incident's append time on incidents. */
    private final Map<String, String> incidentOf = new ConcurrentHashMap<>();
    private final Map<String, Long> incidentAt = new ConcurrentHashMap<>();
    /** Incident id -> append time of each step's first request, and of each step's first outcome. */
    private final Map<String, long[]> requested = new ConcurrentHashMap<>();
    private final Map<String, long[]> finished = new ConcurrentHashMap<>();
    /** Kind of record (alerts, incidents, requests, outcomes) -> appends per second (epoch second of their append). */
    private final Map<String, Map<Long, LongAdder>> appendsPerSecond = new ConcurrentHashMap<>();

    private RunnerBenchmark(String bootstrap, String registryUrl) throws IOException {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.work = Files.createTempDirectory("runner-bench");
        this.topics = new Topics(TopicNames.withPrefix("bench-" + Long.toString(System.currentTimeMillis(), 36) + "."),
                RegistryConfig.of(registryUrl));
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
        RunnerBenchmark bench = new RunnerBenchmark(bootstrap, registry);
        try {
            bench.run();
        } finally {
            bench.stopServices();
            if (registryServer != null) {
                registryServer.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.println(machine());
        System.out.printf("pipeline: %s -> runner -> executors (%d workers instance(s)), exactly-once, dry-run; playbook %s: %s; %d partitions; "
                        + "services' JVM: %s, LOG_LEVEL=%s%n", TRIAGE ? "alerts.raw -> triage -> incidents" : "incidents (written as triage would)",
                WORKERS, PLAYBOOK, ACTIONS, PARTITIONS, JAVA_OPTS, LOG_LEVEL);
        createTopics();
        Path playbooks = writePlaybooks();
        Path logs = Files.createDirectories(Path.of("remediation-workers", "target", "bench-logs"));
        if (TRIAGE) {
            startTriage(playbooks, logs);
        }
        String group = Long.toString(System.nanoTime());
        for (int instance = 1; instance <= WORKERS; instance++) {
            startWorkers(playbooks, logs, group, instance);
        }
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> read(reading), "bench-reader");
        reader.start();
        try {
            awaitFlowing();
            String unit = TRIAGE ? "alerts" : "incidents";
            System.out.printf("warm-up round: %,d %s/s for %d s (not counted) ...%n", RATE, unit, SECONDS);
            System.out.println("  warm-up: " + round("warm-up"));
            List<Figures> rounds = new ArrayList<>();
            for (int r = 1; r <= ROUNDS; r++) {
                Figures figures = round("round " + r);
                rounds.add(figures);
                System.out.println("  round " + r + ": " + figures);
            }
            System.out.printf("RESULT at %,d %s/s, %d s per round, the first %d s of each left out, medians of %d rounds (ms; a run with no "
                    + "outcome %d s after its round counts as later than any):%n", RATE, unit, SECONDS, WARMUP_SECONDS, ROUNDS, DRAIN_SECONDS);
            String from = TRIAGE ? "alert append to alerts.raw" : "incident append to incidents";
            System.out.printf("  %s -> its first step's outcome append: %s%n", from, median(rounds, Figures::firstOutcome));
            System.out.printf("  a step's outcome append -> the next step's request append: %s%n", median(rounds, Figures::nextStep));
            if (TRIAGE) {
                System.out.printf("    alert -> incident (triage): %s%n", median(rounds, Figures::toIncident));
            }
            System.out.printf("    incident -> first step's request (runner): %s%n", median(rounds, Figures::toRequest));
            System.out.printf("    first step's request -> its outcome (executor): %s%n", median(rounds, Figures::toOutcome));
            System.out.printf("  appended per second over the measured windows: %s%n", medianRates(rounds));
            System.out.println("  after the rounds: " + load());
        } finally {
            reading.set(false);
            reader.join();
        }
    }

    // ---- the rounds ----

    /** Percentiles of one measure over one round, in ms; {@link #NEVER} for what had not happened when the round ended. */
    record Percentiles(long p50, long p99, long max, int count, int unfinished) {
        static final long NEVER = Long.MAX_VALUE;

        static Percentiles of(List<Long> values, int unfinished) {
            List<Long> sorted = new ArrayList<>(values);
            for (int i = 0; i < unfinished; i++) {
                sorted.add(NEVER);
            }
            Collections.sort(sorted);
            return new Percentiles(pct(sorted, 50), pct(sorted, 99), pct(sorted, 100), sorted.size(), unfinished);
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
            return "p50 " + ms(p50) + " p99 " + ms(p99) + " max " + ms(max) + (unfinished == 0 ? "" : " (" + unfinished + " of " + count + " never)");
        }
    }

    /** What was appended per second over a round's measured window: alerts, incidents, step requests, outcomes. */
    record Rates(double alerts, double incidents, double requests, double outcomes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s%,.0f incidents (runs started), %,.0f step requests (runner), %,.0f outcomes (executors)",
                    TRIAGE ? String.format(Locale.ROOT, "%,.0f alerts, ", alerts) : "", incidents, requests, outcomes);
        }
    }

    record Figures(Percentiles firstOutcome, Percentiles nextStep, Percentiles toIncident, Percentiles toRequest, Percentiles toOutcome,
                   Rates rates) {
        @Override
        public String toString() {
            return String.format("first outcome %s | next step %s | triage %s, runner %s, executor %s | %,d runs measured | per s: %s",
                    firstOutcome, nextStep, toIncident, toRequest, toOutcome, firstOutcome.count, rates);
        }
    }

    private static String median(List<Figures> rounds, java.util.function.Function<Figures, Percentiles> measure) {
        long[] p50 = rounds.stream().map(measure).mapToLong(Percentiles::p50).sorted().toArray();
        long[] p99 = rounds.stream().map(measure).mapToLong(Percentiles::p99).sorted().toArray();
        return "p50 " + Percentiles.ms(p50[p50.length / 2]) + "  p99 " + Percentiles.ms(p99[p99.length / 2]) + "   (per round p99: "
                + rounds.stream().map(measure).map(p -> Percentiles.ms(p.p99())).toList() + ")";
    }

    private static Rates medianRates(List<Figures> rounds) {
        java.util.function.Function<java.util.function.ToDoubleFunction<Rates>, Double> median = rate -> {
            double[] values = rounds.stream().map(Figures::rates).mapToDouble(rate).sorted().toArray();
            return values[values.length / 2];
        };
        return new Rates(median.apply(Rates::alerts), median.apply(Rates::incidents), median.apply(Rates::requests), median.apply(Rates::outcomes));
    }

    /** Sends at the rate for the round's length, waits for the measured runs' steps, and works out the figures. */
    private Figures round(String name) throws Exception {
        List<String> measured = new ArrayList<>();
        long total = (long) RATE * SECONDS;
        long measureFrom = (long) RATE * WARMUP_SECONDS;
        String tag = name.replace(' ', '-');
        long windowStart = 0;
        long windowEnd;
        try (KafkaProducer<String, Object> producer = producer()) {
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long due = start + i * 1_000_000_000L / RATE;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (i == measureFrom) {
                    windowStart = System.currentTimeMillis();
                }
                String key = send(producer, tag + "-" + i);
                if (i >= measureFrom) {
                    measured.add(key);
                }
            }
            producer.flush();
            windowEnd = System.currentTimeMillis();
        }
        long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        while (System.nanoTime() < drain && measured.stream().anyMatch(key -> !done(key))) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        List<Long> firstOutcome = new ArrayList<>();
        List<Long> nextStep = new ArrayList<>();
        List<Long> toIncident = new ArrayList<>();
        List<Long> toRequest = new ArrayList<>();
        List<Long> toOutcome = new ArrayList<>();
        int[] never = new int[5];
        for (String key : measured) {
            Long at = sent.get(key);
            String incident = TRIAGE ? incidentOf.get(key) : key;
            Long opened = TRIAGE ? (incident == null ? null : incidentAt.get(incident)) : at;
            long[] requests = incident == null ? null : requested.get(incident);
            long[] outcomes = incident == null ? null : finished.get(incident);
            long request = requests == null ? 0 : requests[0];
            long outcome = outcomes == null ? 0 : outcomes[0];
            add(firstOutcome, never, 0, at, outcome);
            if (TRIAGE) {
                add(toIncident, never, 2, at, opened == null ? 0 : opened);
            }
            add(toRequest, never, 3, opened, request);
            add(toOutcome, never, 4, request == 0 ? null : request, outcome);
            for (int step = 0; step + 1 < ACTIONS.size(); step++) {
                long next = requests == null ? 0 : requests[step + 1];
                add(nextStep, never, 1, outcomes == null || outcomes[step] == 0 ? null : outcomes[step], next);
            }
        }
        double seconds = Math.max(1, windowEnd - windowStart) / 1000.0;
        Rates rates = new Rates(appended("alerts", windowStart, windowEnd) / seconds, appended("incidents", windowStart, windowEnd) / seconds,
                appended("requests", windowStart, windowEnd) / seconds, appended("outcomes", windowStart, windowEnd) / seconds);
        return new Figures(Percentiles.of(firstOutcome, never[0]), Percentiles.of(nextStep, never[1]), Percentiles.of(toIncident, never[2]),
                Percentiles.of(toRequest, never[3]), Percentiles.of(toOutcome, never[4]), rates);
    }

    /** Adds the time from {@code from} to {@code to}; counts it as never when {@code to} did not happen (nothing when {@code from} did not). */
    private static void add(List<Long> times, int[] never, int measure, Long from, long to) {
        if (from == null || from == 0) {
            never[measure]++;
        } else if (to == 0) {
            never[measure]++;
        } else {
            times.add(to - from);
        }
    }

    /** How many records of a kind were appended within the window (ms, the broker's clock, which is this machine's). */
    private long appended(String kind, long from, long to) {
        Map<Long, LongAdder> perSecond = appendsPerSecond.getOrDefault(kind, new ConcurrentHashMap<>());
        long count = 0;
        for (long second = from / 1000; second <= to / 1000; second++) {
            LongAdder adder = perSecond.get(second);
            count += adder == null ? 0 : adder.sum();
        }
        return count;
    }

    /** Whether every step of the run started by {@code key} has its outcome. */
    private boolean done(String key) {
        String incident = TRIAGE ? incidentOf.get(key) : key;
        long[] outcomes = incident == null ? null : finished.get(incident);
        return outcomes != null && Arrays.stream(outcomes).allMatch(t -> t != 0);
    }

    /** Sends one alert (or incident) that opens a run; returns its key. */
    private String send(KafkaProducer<String, Object> producer, String id) {
        Instant now = Instant.now();
        Map<String, String> labels = Map.of("TableName", "orders-" + id, "FunctionName", "checkout-" + id, "ClusterName", "shop",
                "ServiceName", "orders-" + id, "env", "staging");
        if (TRIAGE) {
            String fingerprint = "bench-" + id;
            Alert alert = Alert.newBuilder().setAlertId("alert-" + id).setSource(AlertSource.CLOUDWATCH).setFingerprint(fingerprint)
                    .setState(AlertState.FIRING).setSeverity(Severity.HIGH).setName("orders-" + id + " ReadThrottleEvents")
                    .setTitle("DynamoDB table throttled").setResource("dynamodb:table/orders-" + id).setLabels(labels)
                    .setAccount("123456789012").setRegion("eu-west-1").setMetricNamespace("AWS/DynamoDB").setMetricName("ReadThrottleEvents")
                    .setOccurredAt(now).setReceivedAt(now).build();
            producer.send(new ProducerRecord<>(topics.alertsRaw().name(), fingerprint, alert));
            return fingerprint;
        }
        String incidentId = "bench-" + id + "-" + Long.toString(now.toEpochMilli(), 36);
        Incident incident = Incident.newBuilder().setIncidentId(incidentId).setFingerprint("bench-" + id)
                .setState(dev.nightshift.schema.IncidentState.OPEN).setSource(AlertSource.CLOUDWATCH).setName("orders-" + id + " ReadThrottleEvents")
                .setSeverity(Severity.HIGH).setOwner(new dev.nightshift.schema.Owner("unowned", null, null, null, null))
                .setResource("dynamodb:table/orders-" + id).setPlaybook(PLAYBOOK).setLabels(labels).setAccount("123456789012")
                .setRegion("eu-west-1").setMetricNamespace("AWS/DynamoDB").setMetricName("ReadThrottleEvents").setLastAlertId("alert-" + id)
                .setChange("opened").setVersion(1).setOpenedAt(now).setLastSeenAt(now).setUpdatedAt(now).build();
        producer.send(new ProducerRecord<>(topics.incidents().name(), incidentId, incident));
        return incidentId;
    }

    /** Sends a probe every half second until one's first step has its outcome: every part has settled. */
    private void awaitFlowing() throws Exception {
        System.out.println("waiting for the first runs to go through ...");
        try (KafkaProducer<String, Object> producer = producer()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            List<String> probes = new ArrayList<>();
            for (int i = 0; System.nanoTime() < deadline; i++) {
                probes.add(send(producer, "probe-" + i));
                producer.flush();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                while (System.nanoTime() < until) {
                    if (probes.stream().anyMatch(this::done)) {
                        return;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            }
        }
        throw new IllegalStateException("no run went through within 3 minutes; see remediation-workers/target/bench-logs/");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private KafkaProducer<String, Object> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        var topic = TRIAGE ? topics.alertsRaw() : topics.incidents();
        return new KafkaProducer<>(config, topic.keySerde().serializer(), (org.apache.kafka.common.serialization.Serializer) topic.valueSerde().serializer());
    }

    // ---- what the broker appended ----

    /** Reads the measured topics as a user's read_committed consumer does, keeping each record's append time (LogAppendTime). */
    private void read(AtomicBoolean running) {
        TopicNames names = topics.names();
        Map<String, Integer> stepOfTopic = new HashMap<>();
        for (int step = 0; step < ACTIONS.size(); step++) {
            stepOfTopic.put(names.actions(ACTIONS.get(step)), step);
        }
        Deserializer<Incident> incidents = topics.incidents().valueSerde().deserializer();
        Deserializer<RemediationOutcome> outcomes = topics.remediationOutcomes().valueSerde().deserializer();
        List<String> read = new ArrayList<>(stepOfTopic.keySet());
        read.add(names.incidents());
        read.add(names.remediationOutcomes());
        if (TRIAGE) {
            read.add(names.alertsRaw());
        }
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            read.forEach(topic -> {
                for (int p = 0; p < PARTITIONS; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    long at = record.timestamp();
                    Integer step = stepOfTopic.get(record.topic());
                    if (step != null) {
                        count("requests", at);
                        requested.compute(key, (k, times) -> first(times, step, at));
                    } else if (record.topic().equals(names.remediationOutcomes())) {
                        count("outcomes", at);
                        RemediationOutcome outcome = outcomes.deserialize(record.topic(), record.value());
                        if ("run".equals(outcome.getMode()) && outcome.getStepIndex() < ACTIONS.size()) {
                            finished.compute(key, (k, times) -> first(times, outcome.getStepIndex(), at));
                        }
                    } else if (record.topic().equals(names.incidents())) {
                        count("incidents", at);
                        if (TRIAGE) {
                            incidentOf.putIfAbsent(incidents.deserialize(record.topic(), record.value()).getFingerprint(), key);
                            incidentAt.putIfAbsent(key, at);
                        } else {
                            sent.putIfAbsent(key, at);
                        }
                    } else {
                        count("alerts", at);
                        sent.putIfAbsent(key, at);
                    }
                }
            }
        }
    }

    private void count(String kind, long at) {
        appendsPerSecond.computeIfAbsent(kind, k -> new ConcurrentHashMap<>()).computeIfAbsent(at / 1000, s -> new LongAdder()).increment();
    }

    /** The step times with {@code at} as step {@code index}'s unless it has one (compute publishes the array again to readers). */
    private static long[] first(long[] times, int index, long at) {
        long[] updated = times == null ? new long[ACTIONS.size()] : times;
        if (updated[index] == 0) {
            updated[index] = at;
        }
        return updated;
    }

    // ---- the services ----

    private void createTopics() throws Exception {
        TopicNames names = topics.names();
        Map<String, String> appendTime = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        List<NewTopic> created = new ArrayList<>();
        List<String> measured = new ArrayList<>(List.of(names.alertsRaw(), names.incidents(), names.remediationOutcomes()));
        ACTIONS.forEach(action -> measured.add(names.actions(action)));
        measured.forEach(topic -> created.add(new NewTopic(topic, Optional.of(PARTITIONS), Optional.empty()).configs(appendTime)));
        for (String topic : List.of(names.playbookCommands(), names.teamAlerts("unowned"))) {
            created.add(new NewTopic(topic, Optional.of(PARTITIONS), Optional.empty()));
        }
        created.add(new NewTopic(names.actionsLedger(), Optional.of(PARTITIONS), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(created).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The benchmark's playbook: three changes, each planned in dry-run. */
    private Path writePlaybooks() throws IOException {
        return Files.writeString(work.resolve("playbooks.yaml"), """
                playbooks:
                  %s:
                    description: Three changes, planned in dry-run.
                    steps:
                      - name: capacity
                        action: dynamodb-scale
                        parameters: {table: "${alert.labels.TableName}"}
                      - name: concurrency
                        action: lambda-concurrency
                        parameters: {function: "${alert.labels.FunctionName}", reservedConcurrency: "50"}
                      - name: tasks
                        action: ecs-remediate
                        parameters: {cluster: "${alert.labels.ClusterName}", service: "${alert.labels.ServiceName}"}
                """.formatted(PLAYBOOK));
    }

    /** Triage's rules: the benchmark's alerts are classified, and named their playbook, by the one rule. */
    private Path writeRules() throws IOException {
        return Files.writeString(work.resolve("rules.yaml"), """
                rules:
                  - name: orders-throttled
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

    private void startTriage(Path playbooks, Path logs) throws Exception {
        Map<String, String> env = common();
        int port = FreePorts.next();
        env.put("TRIAGE_PORT", Integer.toString(port));
        env.put("TRIAGE_APPLICATION_ID", "bench-triage-" + System.nanoTime());
        env.put("TRIAGE_STATE_DIR", Files.createDirectories(work.resolve("triage-state")).toString());
        env.put("TRIAGE_PLAYBOOKS_FILE", playbooks.toString());
        env.put("TRIAGE_RULES_FILE", writeRules().toString());
        env.put("TRIAGE_APPLICATION_SERVER", "127.0.0.1:" + port);
        start("triage", classpath("bench.triage.classpath"), "dev.nightshift.triage.TriageApplication", env, logs);
        awaitReady("triage", port);
    }

    /** Starts instance {@code instance} of the workers service; instances of one {@code group} share its runner app and executors' group. */
    private void startWorkers(Path playbooks, Path logs, String group, int instance) throws Exception {
        Map<String, String> env = common();
        int port = FreePorts.next();
        env.put("WORKERS_PORT", Integer.toString(port));
        env.put("WORKERS_DRY_RUN", "true");
        env.put("WORKERS_GROUP_ID", "bench-workers-" + group);
        env.put("WORKERS_RUNNER_APPLICATION_ID", "bench-runner-" + group);
        env.put("WORKERS_RUNNER_STATE_DIR", Files.createDirectories(work.resolve("runner-state-" + instance)).toString());
        env.put("WORKERS_RUNNER_PLAYBOOKS_FILE", playbooks.toString());
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDBENCH");
        env.put("AWS_SECRET_ACCESS_KEY", "bench-secret");
        String name = WORKERS == 1 ? "workers" : "workers-" + instance;
        start(name, classpath("bench.workers.classpath"), WorkersApplication.class.getName(), env, logs);
        awaitReady(name, port);
    }

    private static String classpath(String property) {
        String classpath = System.getProperty(property);
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalStateException(property + " is not set: run the benchmark with remediation-workers/bench/run.sh");
        }
        return classpath;
    }

    private void start(String name, String classpath, String mainClass, Map<String, String> env, Path logs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString() + (File.separatorChar == '\\' ? ".exe" : ""));
        command.addAll(Arrays.asList(JAVA_OPTS.trim().split("\\s+")));
        command.addAll(List.of("-cp", classpath, mainClass));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        services.add(builder.start());
        System.out.println("started " + name + " (its output: " + logs.resolve(name + ".log") + ")");
    }

    private void awaitReady(String name, int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (services.stream().anyMatch(p -> !p.isAlive())) {
                throw new IllegalStateException(name + " stopped; see remediation-workers/target/bench-logs/" + name + ".log");
            }
            if (status("http://127.0.0.1:" + port + "/health/readiness") == 200) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        }
        throw new IllegalStateException(name + " was not ready within 3 minutes; see remediation-workers/target/bench-logs/" + name + ".log");
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
