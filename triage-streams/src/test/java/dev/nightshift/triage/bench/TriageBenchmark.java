package dev.nightshift.triage.bench;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.Severity;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.registry.SchemaRegistryServer;
import dev.nightshift.testkit.TestBroker;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.playbook.PlaybookNames;
import dev.nightshift.triage.service.TriageConfig;
import dev.nightshift.triage.service.TriageRuntime;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The triage benchmark (not a test; run by {@code triage-streams/bench/run.sh}). In one run on one
 * broker, both with exactly-once and the app's production settings:
 * <ol>
 *   <li>throughput: alerts per second through the full triage topology and through a pass-through
 *   topology (read alerts.raw, write one topic, the same Avro serdes as triage's), each over the same preloaded
 *   alerts, measured over the warm window (25% to 95% of the records; the JIT eats the start), with the CPU
 *   time each alert cost the app's stream thread and the whole process (which holds the broker when it is
 *   the test kit's);</li>
 *   <li>latency at a steady 5,000 alerts/s: from the append of an alert to alerts.raw to the append
 *   of its triaged record to team.&lt;team&gt;.alerts (both topics use LogAppendTime, so both times
 *   are the broker's), and to when a read_committed consumer sees it.</li>
 * </ol>
 * Uses the broker and registry in KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL when set,
 * otherwise starts the test kit's (in this JVM, and the registry as a child process).
 * The ownership topic holds {@code bench.services} services of {@code bench.teams} teams, each with three
 * resource patterns; nine alerts in ten belong to one of them (found through their DynamoDB table) and go
 * to its team's topic, the tenth to the default team's.
 * Settings (system properties): bench.alerts (800000), bench.fingerprints (20000), bench.partitions (6),
 * bench.services (200; 0 sends every alert to the default team), bench.teams (20),
 * bench.team.partitions (the app's triage.team-topic-partitions),
 * bench.rate (5000), bench.seconds (30), bench.warmup.seconds (10), bench.rounds (5), bench.threads (1),
 * bench.throughput=false (latency only), bench.latency=false (throughput only), bench.verbose (per round: where the
 * clients waited and the CPU per alert of each part of the process), bench.floor=false (no stateful floor, see
 * {@link #startStatefulFloor}), bench.streams.&lt;setting&gt;=&lt;value&gt; (a Streams setting for every app).
 */
public final class TriageBenchmark {
    private static final int ALERTS = Integer.getInteger("bench.alerts", 800_000);
    private static final int FINGERPRINTS = Integer.getInteger("bench.fingerprints", 20_000);
    private static final int PARTITIONS = Integer.getInteger("bench.partitions", 6);
    private static final int RATE = Integer.getInteger("bench.rate", 5_000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup.seconds", 10);
    private static final int SERVICES = Integer.getInteger("bench.services", 200);
    private static final int TEAMS = Integer.getInteger("bench.teams", 20);
    private static final int TEAM_PARTITIONS = Integer.getInteger("bench.team.partitions", config().getTeamTopicPartitions());

    private final String bootstrap;
    private final String registryUrl;
    private final Map<String, List<Double>> threadCpuPerAlert = new HashMap<>();
    private final Path stateRoot;

    private TriageBenchmark(String bootstrap, String registryUrl) throws Exception {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.stateRoot = Files.createTempDirectory("triage-bench");
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
        try {
            new TriageBenchmark(bootstrap, registry).run();
        } finally {
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
        Properties effective = TriageRuntime.streamsProperties(config(), pipeline(TopicNames.defaults()), null);
        System.out.printf("triage-streams benchmark: exactly_once_v2, commit.interval.ms=%s, producer linger.ms=%s batch.size=%s "
                        + "buffer.memory=%s compression.type=%s, %d stream thread(s), %d partitions (team topics: %d), %d cores%n",
                effective.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG), effective.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)),
                effective.get(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG)),
                effective.get(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG)),
                effective.get(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG)), config().getStreamThreads(),
                PARTITIONS, TEAM_PARTITIONS, Runtime.getRuntime().availableProcessors());

        if (!Boolean.parseBoolean(System.getProperty("bench.throughput", "true"))) {
            System.out.println("  triage        " + latency("triage", this::startTriage));
            return;
        }
        // 1. throughput, one preloaded topic, warm-up round first
        TopicNames names = createTopics("bench-tp");
        preload(names, ALERTS);
        System.out.printf("preloaded %,d alerts over %,d fingerprints; ownership: %s%n", ALERTS, FINGERPRINTS, SERVICES == 0
                ? "none, every alert to the default team"
                : String.format("%d services of %d teams (%d resource patterns), 9 alerts in 10 owned", SERVICES, TEAMS, SERVICES * 3));
        int warmups = Integer.getInteger("bench.warmup.rounds", 2);
        System.out.printf("%d warm-up round(s), not counted (the JIT keeps improving both for a while) ...%n", warmups);
        boolean floor = Boolean.parseBoolean(System.getProperty("bench.floor", "true"));
        for (int round = 0; round < warmups; round++) {
            throughput("pass-through", names, this::startPassThrough);
            throughput("triage", names, this::startTriage);
            if (floor) {
                throughput("stateful-floor", names, this::startStatefulFloor);
            }
        }
        int rounds = Integer.getInteger("bench.rounds", 5);
        System.out.printf("measured: %d rounds, pass-through and triage taking turns (other tenants of the machine come and go) ...%n", rounds);
        List<Double> passRates = new ArrayList<>();
        List<Double> triageRates = new ArrayList<>();
        List<Double> floorRates = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            passRates.add(throughput("pass-through", names, this::startPassThrough));
            triageRates.add(throughput("triage", names, this::startTriage));
            if (floor) {
                floorRates.add(throughput("stateful-floor", names, this::startStatefulFloor));
            }
        }
        double pass = median(passRates);
        double triage = median(triageRates);
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            ratios.add(triageRates.get(round) / passRates.get(round));
        }
        System.out.printf("ratio per round: %s (median %.2f)%n", ratios.stream().map(r -> String.format("%.2f", r)).toList(),
                median(ratios));
        List<Double> passCpu = threadCpuPerAlert.get("pass-through");
        List<Double> triageCpu = threadCpuPerAlert.get("triage");
        List<Double> cpuRatios = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            cpuRatios.add(passCpu.get(warmups + round) / triageCpu.get(warmups + round));
        }
        System.out.printf("stream-thread CPU per alert, pass-through/triage per round: %s (median %.2f)%n",
                cpuRatios.stream().map(r -> String.format("%.2f", r)).toList(), median(cpuRatios));
        if (floor) {
            List<Double> floorRatios = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                floorRatios.add(floorRates.get(round) / passRates.get(round));
            }
            System.out.printf("stateful floor / pass-through per round: %s (median %.2f)%n",
                    floorRatios.stream().map(r -> String.format("%.2f", r)).toList(), median(floorRatios));
            List<Double> triageFloorRatios = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                triageFloorRatios.add(triageRates.get(round) / floorRates.get(round));
            }
            System.out.printf("triage / stateful floor per round: %s (median %.2f)%n",
                    triageFloorRatios.stream().map(r -> String.format("%.2f", r)).toList(), median(triageFloorRatios));
        }
        System.out.printf("THROUGHPUT (median of %d)  pass-through %,.0f alerts/s   triage %,.0f alerts/s   ratio triage/pass-through %.2f%n",
                rounds, pass, triage, triage / pass);

        if (!Boolean.parseBoolean(System.getProperty("bench.latency", "true"))) {
            return;
        }
        // 2. latency at a steady rate
        Latency triageLatency = latency("triage", this::startTriage);
        Latency passLatency = latency("pass-through", this::startPassThrough);
        System.out.printf("LATENCY at %,d alerts/s for %d s (first %d s left out), append to alerts.raw -> append to output:%n",
                RATE, SECONDS, WARMUP_SECONDS);
        System.out.println("  triage        " + triageLatency);
        System.out.println("  pass-through  " + passLatency);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    @FunctionalInterface
    private interface Starter {
        AutoCloseable start(TopicNames names, String applicationId, KafkaStreams[] out) throws Exception;
    }

    /** The system properties that start with {@code prefix}, without it. */
    private static Map<String, String> prefixed(String prefix) {
        Map<String, String> settings = new java.util.TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> settings.put(k.substring(prefix.length()), System.getProperty(k)));
        return settings;
    }

    /** The app's production settings, with bench.threads stream threads when given (the same for both apps). */
    private static TriageConfig config() {
        TriageConfig config = new TriageConfig();
        config.setStreamThreads(Integer.getInteger("bench.threads", config.getStreamThreads()));
        config.getStreams().putAll(prefixed("bench.streams."));
        return config;
    }

    private AutoCloseable startTriage(TopicNames names, String applicationId, KafkaStreams[] out) {
        return startTriage(names, applicationId, out, Map.of());
    }

    private AutoCloseable startTriage(TopicNames names, String applicationId, KafkaStreams[] out, Map<String, String> extra) {
        TriageConfig config = config();
        config.getStreams().putAll(extra);
        config.setApplicationId(applicationId);
        config.setStateDir(stateRoot.resolve(applicationId).toString());
        TriageRuntime runtime = new TriageRuntime(config, pipeline(names), ClassificationRules.load(null, PlaybookNames.load(null)::contains));
        runtime.start(null);
        out[0] = runtime.streams();
        return runtime;
    }

    private AutoCloseable startPassThrough(TopicNames names, String applicationId, KafkaStreams[] out) {
        Topic<String, Alert> in = pipeline(names).topics().alertsRaw();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in.name(), Consumed.with(in.keySerde(), in.valueSerde()).withName("pass-source"))
                .to(names.teamAlerts("passthrough"), Produced.with(Serdes.String(), in.valueSerde()).withName("pass-sink"));
        return startPlain(builder, names, applicationId, out);
    }

    /** Starts a topology the benchmark built, with the app's production settings. */
    private AutoCloseable startPlain(StreamsBuilder builder, TopicNames names, String applicationId, KafkaStreams[] out) {
        TriageConfig config = config();
        config.setApplicationId(applicationId);
        config.setStateDir(stateRoot.resolve(applicationId).toString());
        KafkaStreams streams = new KafkaStreams(builder.build(), TriageRuntime.streamsProperties(config, pipeline(names), null));
        streams.start();
        out[0] = streams;
        return () -> streams.close(Duration.ofSeconds(30));
    }

    /**
     * The least a per-fingerprint exactly-once topology does (bench.floor=true): the pass-through plus, per alert,
     * a read and a write of the fingerprint's entry in a changelogged store of the kind triage uses (the entry is
     * the alert, about the size of triage's fingerprint state). No classification, owner, lifecycle or fan-out.
     */
    private AutoCloseable startStatefulFloor(TopicNames names, String applicationId, KafkaStreams[] out) {
        Topic<String, Alert> in = pipeline(names).topics().alertsRaw();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("floor-state"), Serdes.String(),
                in.valueSerde()));
        builder.stream(in.name(), Consumed.with(in.keySerde(), in.valueSerde()).withName("floor-source"))
                .process(() -> new ContextualProcessor<String, Alert, String, Alert>() {
                    private KeyValueStore<String, Alert> state;

                    @Override
                    public void init(ProcessorContext<String, Alert> context) {
                        super.init(context);
                        state = context.getStateStore("floor-state");
                    }

                    @Override
                    public void process(Record<String, Alert> record) {
                        // read the fingerprint's entry and write it back changed, as triage does with its state
                        Alert before = state.get(record.key());
                        if (before != null && before.getAlertId().equals(record.value().getAlertId())) {
                            return;
                        }
                        state.put(record.key(), record.value());
                        context().forward(record);
                    }
                }, Named.as("floor-state-step"), "floor-state")
                .to(names.teamAlerts("floor"), Produced.with(Serdes.String(), in.valueSerde()).withName("floor-sink"));
        return startPlain(builder, names, applicationId, out);
    }

    private double throughput(String what, TopicNames names, Starter starter) throws Exception {
        KafkaStreams[] streams = new KafkaStreams[1];
        String applicationId = "bench-" + what + "-" + System.nanoTime();
        try (AutoCloseable app = starter.start(names, applicationId, streams)) {
            long from = (long) (ALERTS * 0.25);
            long to = (long) (ALERTS * 0.95);
            long fromNanos = 0;
            long fromCount = 0;
            long fromThreadCpu = 0;
            long fromProcessCpu = 0;
            Map<String, Double> fromTimes = Map.of();
            Map<String, Long> fromParts = Map.of();
            Map<String, long[]> fromAppends = Map.of();
            long fromJit = 0;
            long fromGc = 0;
            long fromUptime = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            List<Metric> counters = List.of();
            while (System.nanoTime() < deadline) {
                if (counters.isEmpty()) {
                    counters = processCounters(streams[0]);
                }
                long processed = processed(counters);
                long now = System.nanoTime();
                if (fromNanos == 0 && processed >= from) {
                    fromNanos = now;
                    fromCount = processed;
                    fromTimes = timeTotals(streams[0]);
                    fromThreadCpu = streamThreadCpu(applicationId);
                    fromProcessCpu = processCpu();
                    fromParts = cpuByPart(applicationId);
                    fromAppends = brokerAppends();
                    fromJit = jitMillis();
                    fromGc = gcMillis();
                    fromUptime = ManagementFactory.getRuntimeMXBean().getUptime();
                }
                if (processed >= to) {
                    double rate = (processed - fromCount) / ((now - fromNanos) / 1e9);
                    long count = processed - fromCount;
                    double threadMicros = (streamThreadCpu(applicationId) - fromThreadCpu) / 1e3 / count;
                    double processMicros = (processCpu() - fromProcessCpu) / 1e3 / count;
                    System.out.printf("  %-13s %,10.0f alerts/s (%,d records in the warm window)   CPU per alert: stream thread %.2f µs, "
                            + "whole process %.2f µs%n", what, rate, count, threadMicros, processMicros);
                    threadCpuPerAlert.computeIfAbsent(what, k -> new ArrayList<>()).add(threadMicros);
                    if (Boolean.getBoolean("bench.verbose")) {
                        Map<String, Double> toTimes = timeTotals(streams[0]);
                        long window = now - fromNanos;
                        StringBuilder line = new StringBuilder("    time share of the warm window:");
                        for (Map.Entry<String, Double> total : toTimes.entrySet()) {
                            double share = (total.getValue() - fromTimes.getOrDefault(total.getKey(), 0.0)) / window;
                            if (share >= 0.005) {
                                line.append(String.format(" %s %.2f", total.getKey(), share));
                            }
                        }
                        System.out.println(line);
                        StringBuilder parts = new StringBuilder("    CPU per alert by part (µs):");
                        for (Map.Entry<String, Long> part : cpuByPart(applicationId).entrySet()) {
                            parts.append(String.format(" %s %.2f;", part.getKey(),
                                    (part.getValue() - fromParts.getOrDefault(part.getKey(), 0L)) / 1e3 / count));
                        }
                        System.out.println(parts);
                        System.out.printf("    in the warm window: JIT compiling %,d ms (summed over compiler threads), GC %,d ms (%.0f ms long, JVM uptime %.1f s to %.1f s)%n",
                                jitMillis() - fromJit, gcMillis() - fromGc, window / 1e6, fromUptime / 1e3,
                                ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
                        Map<String, long[]> toAppends = brokerAppends();
                        if (!toAppends.isEmpty()) {
                            StringBuilder appends = new StringBuilder("    broker appends (batches) and records per 1,000 alerts, by topic:");
                            for (Map.Entry<String, long[]> topic : toAppends.entrySet()) {
                                long[] before = fromAppends.getOrDefault(topic.getKey(), new long[2]);
                                long batches = topic.getValue()[0] - before[0];
                                long records = topic.getValue()[1] - before[1];
                                if (batches > 0) {
                                    appends.append(String.format(" %s %.1f/%.0f;", topic.getKey(), batches * 1000.0 / count,
                                            records * 1000.0 / count));
                                }
                            }
                            System.out.println(appends);
                        }
                    }
                    return rate;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            throw new IllegalStateException(what + " did not get through the alerts in 5 minutes");
        }
    }

    /** Time the JIT compilers have spent so far (ms, summed over compiler threads). */
    private static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** Time the garbage collectors have spent so far (ms). */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    /** CPU time (ns) used so far by the app's stream threads (not their producers' I/O threads). */
    private static long streamThreadCpu(String applicationId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(applicationId) && info.getThreadName().contains("StreamThread")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /** CPU time (ns) used so far by this whole process: the app, its clients' I/O threads and, when in this JVM, the broker. */
    /**
     * CPU time (ns) so far by part of the process: the app's stream threads, their producers' I/O threads, the app's
     * other threads, every other Java thread (the broker's when it is in this JVM, the benchmark's own), and what no
     * Java thread accounts for (GC and JIT compiler threads). Threads that end in between lose their share.
     */
    private static Map<String, Long> cpuByPart(String applicationId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> parts = new java.util.LinkedHashMap<>();
        long javaThreads = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            long cpu = Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            String part = !name.contains(applicationId) ? "other threads (broker, benchmark)"
                    : name.startsWith("kafka-producer-network-thread") ? "producer I/O"
                    : name.startsWith(applicationId) && name.contains("StreamThread") ? "stream thread" : "app's other threads";
            parts.merge(part, cpu, Long::sum);
            javaThreads += cpu;
        }
        parts.put("GC and JIT", processCpu() - javaThreads);
        return parts;
    }

    /**
     * When the broker runs in this JVM: per kind of topic, the partition appends it has done so far (one per batch a
     * producer sent, and one per transaction marker) and the records appended, from its own per-topic counters.
     * Empty with an outside broker.
     */
    private static Map<String, long[]> brokerAppends() {
        Map<String, long[]> totals = new java.util.TreeMap<>();
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (String metric : List.of("TotalProduceRequestsPerSec", "MessagesInPerSec")) {
                int slot = metric.equals("MessagesInPerSec") ? 1 : 0;
                for (ObjectName name : server.queryNames(
                        new ObjectName("kafka.server:type=BrokerTopicMetrics,name=" + metric + ",topic=*"), null)) {
                    String topic = name.getKeyProperty("topic");
                    String kind = topic.endsWith("-changelog") ? "changelog" : topic.contains(".team.") ? "team topics"
                            : topic.startsWith("__") ? topic : topic.replaceFirst("^bench-[^.]*\\.", "");
                    totals.computeIfAbsent(kind, k -> new long[2])[slot] += ((Number) server.getAttribute(name, "Count")).longValue();
                }
            }
        } catch (JMException e) {
            return Map.of();
        }
        return totals;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The stream threads' process-total counters, looked up once: {@code KafkaStreams.metrics()} copies every metric of
     * every client, and triage's producer has many more (per topic) than the pass-through's, so calling it on each poll
     * took CPU from the app being measured, and more from triage than from the pass-through.
     */
    private static List<Metric> processCounters(KafkaStreams streams) {
        List<Metric> counters = new ArrayList<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName name = e.getKey();
            if (name.name().equals("process-total") && name.group().equals("stream-thread-metrics")) {
                counters.add(e.getValue());
            }
        }
        return counters;
    }

    /** Records the app's stream threads have processed from alerts.raw (the source node count). */
    private static long processed(List<Metric> counters) {
        double total = 0;
        for (Metric counter : counters) {
            total += ((Number) counter.metricValue()).doubleValue();
        }
        return (long) total;
    }

    /**
     * The app's clients' cumulative time metrics (nanoseconds), summed by name: where the stream thread waits. The
     * global and restore consumers are left out: triage's global consumer waits on the idle ownership topic all the
     * time, which would read as a consumer waiting 100 % of the window.
     */
    private static Map<String, Double> timeTotals(KafkaStreams streams) {
        Map<String, Double> totals = new java.util.TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName name = e.getKey();
            String client = name.tags().getOrDefault("client-id", "");
            if (client.endsWith("global-consumer") || client.endsWith("restore-consumer")) {
                continue;
            }
            if (name.name().endsWith("-time-ns-total") && e.getValue().metricValue() instanceof Number n) {
                totals.merge(name.group() + ":" + name.name(), n.doubleValue(), Double::sum);
            }
        }
        return totals;
    }

    record Latency(List<Long> appendToAppend, List<Long> appendToVisible) {
        @Override
        public String toString() {
            return String.format("append->append p50 %d ms  p99 %d ms  max %d ms   |  append->visible (read_committed) p50 %d ms  p99 %d ms   (%,d alerts)",
                    pct(appendToAppend, 50), pct(appendToAppend, 99), pct(appendToAppend, 100), pct(appendToVisible, 50),
                    pct(appendToVisible, 99), appendToAppend.size());
        }

        private static long pct(List<Long> sorted, int p) {
            if (sorted.isEmpty()) {
                return -1;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }
    }

    private Latency latency(String what, Starter starter) throws Exception {
        TopicNames names = createTopics("bench-lat-" + what);
        List<String> outputTopics = what.equals("triage") ? teamTopics(names) : List.of(names.teamAlerts("passthrough"));
        KafkaStreams[] streams = new KafkaStreams[1];
        String applicationId = "bench-lat-" + what + "-" + System.nanoTime();
        Map<String, Long> appendedIn = new ConcurrentHashMap<>();
        Map<String, long[]> appendedOut = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Topics topics = pipeline(names).topics();
        try (AutoCloseable app = starter.start(names, applicationId, streams)) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (streams[0].state() != KafkaStreams.State.RUNNING && System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            Thread inputReader = reader(List.of(names.alertsRaw()), "read_uncommitted", reading,
                    (record, seen) -> appendedIn.put(alertId(topics, record), record.timestamp()), topics);
            Thread outputReader = reader(outputTopics, "read_committed", reading,
                    (record, seen) -> appendedOut.put(alertId(topics, record), new long[]{record.timestamp(), seen}), topics);
            inputReader.start();
            outputReader.start();
            awaitFlowing(names, topics, appendedOut);
            List<String> measured = produceSteadily(names, topics);
            long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < drain && !appendedOut.keySet().containsAll(measured)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            reading.set(false);
            inputReader.join();
            outputReader.join();
            List<Long> toAppend = new ArrayList<>();
            List<Long> toVisible = new ArrayList<>();
            Map<Long, Long> worstPerSecond = new java.util.TreeMap<>();
            for (String id : measured) {
                Long in = appendedIn.get(id);
                long[] out = appendedOut.get(id);
                if (in != null && out != null) {
                    toAppend.add(out[0] - in);
                    toVisible.add(out[1] - in);
                    worstPerSecond.merge(in / 1000, out[0] - in, Math::max);
                }
            }
            if (Boolean.getBoolean("bench.verbose")) {
                System.out.println("  worst append->append per second: " + worstPerSecond.values());
            }
            Collections.sort(toAppend);
            Collections.sort(toVisible);
            if (toAppend.size() < measured.size()) {
                System.out.printf("  %s: %d of %d measured alerts were not seen on the output%n", what, measured.size() - toAppend.size(),
                        measured.size());
            }
            return new Latency(toAppend, toVisible);
        }
    }

    @FunctionalInterface
    private interface OnRecord {
        void accept(ConsumerRecord<byte[], byte[]> record, long seenMillis);
    }

    private Thread reader(List<String> topicNames, String isolation, AtomicBoolean running, OnRecord onRecord, Topics topics) {
        return new Thread(() -> {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : topicNames) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        partitions.add(new TopicPartition(topic, p));
                    }
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        onRecord.accept(record, System.currentTimeMillis());
                    }
                }
            }
        }, "bench-reader-" + topicNames.get(0));
    }

    /** The alert id inside an alert or a triaged alert, read with the topic's own serde. */
    private static String alertId(Topics topics, ConsumerRecord<byte[], byte[]> record) {
        Object value = record.topic().endsWith(".alerts.raw") || record.topic().contains("passthrough")
                ? topics.alertsRaw().valueSerde().deserializer().deserialize(record.topic(), record.value())
                : topics.teamAlerts("unowned").valueSerde().deserializer().deserialize(record.topic(), record.value());
        return value instanceof Alert a ? a.getAlertId() : ((dev.nightshift.schema.TriagedAlert) value).getAlert().getAlertId();
    }

    /** Sends a probe alert every 200 ms until one comes out: the app has settled (rebalances, internal topics). */
    private void awaitFlowing(TopicNames names, Topics topics, Map<String, long[]> seenOut) {
        try (KafkaProducer<String, Alert> producer = producer(topics)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (long i = 0; System.nanoTime() < deadline; i++) {
                Alert probe = alert(-1 - i);
                producer.send(new ProducerRecord<>(names.alertsRaw(), probe.getFingerprint(), probe));
                producer.flush();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                while (System.nanoTime() < until) {
                    if (!seenOut.isEmpty()) {
                        return;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }
            throw new IllegalStateException("the app did not start triaging within 2 minutes");
        }
    }

    private List<String> produceSteadily(TopicNames names, Topics topics) throws Exception {
        List<String> measured = new ArrayList<>();
        try (KafkaProducer<String, Alert> producer = producer(topics)) {
            long start = System.nanoTime();
            long total = (long) RATE * SECONDS;
            long measureFrom = (long) RATE * WARMUP_SECONDS;
            for (long i = 0; i < total; i++) {
                long due = start + i * 1_000_000_000L / RATE;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Alert alert = alert(i);
                producer.send(new ProducerRecord<>(names.alertsRaw(), alert.getFingerprint(), alert));
                if (i >= measureFrom) {
                    measured.add(alert.getAlertId());
                }
            }
            producer.flush();
        }
        return measured;
    }

    private void preload(TopicNames names, int count) {
        Topics topics = pipeline(names).topics();
        try (KafkaProducer<String, Alert> producer = producer(topics)) {
            for (long i = 0; i < count; i++) {
                Alert alert = alert(i);
                producer.send(new ProducerRecord<>(names.alertsRaw(), alert.getFingerprint(), alert));
            }
            producer.flush();
        }
    }

    private KafkaProducer<String, Alert> producer(Topics topics) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, topics.alertsRaw().keySerde().serializer(), topics.alertsRaw().valueSerde().serializer());
    }

    /**
     * The i-th alert: fingerprints cycle; every 7th visit of a fingerprint resolves it. Nine fingerprints
     * in ten have a table of one of the services ({@code svc<k>-orders-<n>}), the tenth a table nobody owns.
     */
    private static Alert alert(long i) {
        int fingerprint = (int) Math.floorMod(i, (long) FINGERPRINTS);
        long visit = Math.abs(i / FINGERPRINTS);
        Instant now = Instant.now();
        int service = SERVICES == 0 ? 0 : Math.floorMod(fingerprint, SERVICES + SERVICES / 9);
        String table = (service < SERVICES ? "svc" + service + "-" : "") + "orders-" + fingerprint;
        return Alert.newBuilder()
                .setAlertId("bench-" + i + "-" + System.nanoTime())
                .setSource(AlertSource.CLOUDWATCH)
                .setFingerprint("bench-fp-" + fingerprint)
                .setState(visit % 7 == 6 ? AlertState.RESOLVED : AlertState.FIRING)
                .setSeverity(Severity.HIGH)
                .setName(table + " ReadThrottleEvents")
                .setTitle("DynamoDB table throttled")
                .setResource("dynamodb:" + table)
                .setLabels(Map.of("TableName", table, "env", "prod"))
                .setAccount("123456789012")
                .setRegion("eu-west-1")
                .setMetricNamespace("AWS/DynamoDB")
                .setMetricName("ReadThrottleEvents")
                .setOccurredAt(now)
                .setReceivedAt(now)
                .build();
    }

    private PipelineSettings pipeline(TopicNames names) {
        Map<String, String> settings = Map.of("kafka.bootstrap.servers", bootstrap, "schema.registry.url", registryUrl,
                "nightshift.topics.prefix", names.prefix());
        return PipelineSettings.from(settings::get);
    }

    /** The input and output topics of one run, alerts.raw and the team topics with the broker's append time. */
    private TopicNames createTopics(String prefix) throws Exception {
        TopicNames names = TopicNames.withPrefix(prefix + "-" + System.nanoTime() + ".");
        Map<String, String> appendTime = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>(List.of(
                    new NewTopic(names.alertsRaw(), Optional.of(PARTITIONS), Optional.empty()).configs(appendTime),
                    new NewTopic(names.ownership(), Optional.of(1), Optional.empty())
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                    new NewTopic(names.teamAlerts("passthrough"), Optional.of(PARTITIONS), Optional.empty()).configs(appendTime),
                    new NewTopic(names.teamAlerts("floor"), Optional.of(PARTITIONS), Optional.empty()).configs(appendTime)));
            // the team topics exist before the app starts, as after ./pipeline ownership apply
            for (String team : teamTopics(names)) {
                topics.add(new NewTopic(team, Optional.of(TEAM_PARTITIONS), Optional.empty()).configs(appendTime));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        Topic<String, Ownership> ownership = pipeline(names).topics().ownership();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Ownership> producer = new KafkaProducer<>(config, ownership.keySerde().serializer(),
                ownership.valueSerde().serializer())) {
            for (int k = 0; k < SERVICES; k++) {
                String service = "svc" + k;
                producer.send(new ProducerRecord<>(ownership.name(), service, Ownership.newBuilder().setService(service)
                        .setTeam("team" + k % TEAMS).setSlackChannel("#team" + k % TEAMS + "-oncall").setJiraProject("T" + k % TEAMS)
                        .setResources(List.of("dynamodb:" + service + "-*", "ecs:" + service + "/*", "tag:service:" + service))
                        .setUpdatedAt(Instant.now()).build()));
            }
            producer.flush();
        }
        return names;
    }

    /** The team topics the triage app writes to: one per team of the ownership table, and the default team's. */
    private static List<String> teamTopics(TopicNames names) {
        List<String> topics = new ArrayList<>();
        for (int t = 0; t < TEAMS; t++) {
            topics.add(names.teamAlerts("team" + t));
        }
        topics.add(names.teamAlerts("unowned"));
        return topics;
    }

    @SuppressWarnings("unused")
    private static final String GUARANTEE = StreamsConfig.EXACTLY_ONCE_V2;
}
