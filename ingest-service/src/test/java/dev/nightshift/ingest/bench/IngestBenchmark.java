package dev.nightshift.ingest.bench;

import dev.nightshift.testkit.FreePorts;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.registry.SchemaRegistryServer;
import dev.nightshift.testkit.TestBroker;
import dev.nightshift.topics.TopicNames;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark, not a test: accepted alerts per second and p50/p99 latency of the ingest service
 * (durable: 202 only after acks=all from the broker) for single-alert and batched POSTs, and the
 * same load in the same run against Prometheus Alertmanager's {@code POST /api/v2/alerts}; prints
 * both and their ratio. Each phase warms up first and reports only its measured window.
 *
 * <p>Run with {@code ingest-service/bench/run.sh}. Settings (system properties): {@code bench.warmup}
 * (seconds, 10), {@code bench.seconds} (20), {@code bench.concurrency} (256 single-alert requests in
 * flight), {@code bench.batch-concurrency} (16 batched requests in flight), {@code bench.batch} (500
 * alerts a batched request), {@code bench.alertmanager} (path of the binary),
 * {@code bench.rounds} (2: each phase runs this often, alternating ingest and Alertmanager, so
 * that a burst of load from elsewhere on the machine hits both), {@code bench.only} (one phase: ingest-single, ingest-batch, alertmanager-single, alertmanager-batch).
 * The service runs with the per-key rate limit off (it would otherwise cap the run), and with a
 * real broker (in this JVM) and registry (a child process). Load comes from plain keep-alive HTTP/1.1
 * connections, one per request in flight, so that the client's own work stays small and equal for both.
 */
public final class IngestBenchmark {
    private static final String KEY = "bench-" + UUID.randomUUID();

    private final int warmup = Integer.getInteger("bench.warmup", 10);
    private final int seconds = Integer.getInteger("bench.seconds", 20);
    private final int singleConcurrency = Integer.getInteger("bench.concurrency", 256);
    private final int batchConcurrency = Integer.getInteger("bench.batch-concurrency", 16);
    private final int batch = Integer.getInteger("bench.batch", 500);
    private final int rounds = Integer.getInteger("bench.rounds", 2);

    /** One phase's figures. */
    record Result(String name, long alerts, long requests, long failures, double seconds, long p50Micros, long p99Micros,
                  long[] latencies) {
        /** Several rounds of one phase as one: totals, and percentiles over all their requests. */
        static Result combine(String name, List<Result> rounds) {
            long[] all = rounds.stream().flatMapToLong(r -> Arrays.stream(r.latencies)).sorted().toArray();
            return new Result(name, rounds.stream().mapToLong(Result::alerts).sum(), rounds.stream().mapToLong(Result::requests).sum(),
                    rounds.stream().mapToLong(Result::failures).sum(), rounds.stream().mapToDouble(Result::seconds).sum(),
                    percentile(all, 0.50), percentile(all, 0.99), all);
        }

        double alertsPerSecond() {
            return alerts / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-36s %10.0f alerts/s %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  failed %d",
                    name, alertsPerSecond(), requests / seconds, p50Micros / 1000.0, p99Micros / 1000.0, failures);
        }
    }

    public static void main(String[] args) throws Exception {
        new IngestBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path alertmanagerBinary = Path.of(System.getProperty("bench.alertmanager", "/usr/bin/prometheus-alertmanager"));
        if (!Files.isExecutable(alertmanagerBinary)) {
            throw new IllegalStateException("no Alertmanager at " + alertmanagerBinary + " (apt-get install prometheus-alertmanager)");
        }
        System.out.printf("machine: %d cores, %s, Java %s, load average %.1f; warm-up %d s, measured %d s per phase;"
                        + " %d single-alert requests in flight, %d batches of %d in flight%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version"), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                warmup, seconds, singleConcurrency, batchConcurrency, batch);
        Path work = Files.createTempDirectory("ingest-bench");
        try (TestBroker broker = KafkaStack.startBroker();
             SchemaRegistryServer registry = SchemaRegistryServer.start(0, work.resolve("registry.log"), Duration.ofSeconds(90))) {
            TopicNames names = TopicNames.withPrefix("bench-" + UUID.randomUUID().toString().substring(0, 8) + ".");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(names.alertsRaw(), 6, (short) 1),
                        new NewTopic(names.alertsRejected(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> properties = new HashMap<>();
            properties.put("micronaut.server.port", FreePorts.next());
            properties.put("kafka.bootstrap.servers", broker.bootstrapServers());
            properties.put("schema.registry.url", registry.confluentUrl());
            properties.put("nightshift.topics.prefix", names.prefix());
            properties.put("nightshift.ingest.api-key", KEY);
            properties.put("nightshift.ingest.rate-limit.requests-per-second", 0);
            properties.put("endpoints.all.enabled", false);
            try (EmbeddedServer ingest = ApplicationContext.run(EmbeddedServer.class, properties);
                 Alertmanager alertmanager = Alertmanager.start(alertmanagerBinary, work)) {
                URI ingestUri = URI.create("http://127.0.0.1:" + ingest.getPort() + "/v1/alerts");
                URI alertmanagerUri = URI.create("http://127.0.0.1:" + alertmanager.port + "/api/v2/alerts");

                String only = System.getProperty("bench.only", "");
                if (!only.isEmpty()) {
                    phase("only " + only, only.startsWith("alertmanager") ? alertmanagerUri : ingestUri,
                            !only.startsWith("alertmanager"), only.endsWith("batch") ? batch : 1);
                    return;
                }
                System.out.println("JIT warm-up of the ingest service: 10 s single, 10 s batched (not reported) ...");
                drive(ingestUri, true, 1, Duration.ofSeconds(10));
                drive(ingestUri, true, batch, Duration.ofSeconds(10));
                List<Result> ingestSingle = new ArrayList<>();
                List<Result> amSingle = new ArrayList<>();
                List<Result> ingestBatch = new ArrayList<>();
                List<Result> amBatch = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    ingestSingle.add(phase("ingest single (durable) #" + round, ingestUri, true, 1));
                    amSingle.add(phase("alertmanager single #" + round, alertmanagerUri, false, 1));
                }
                for (int round = 1; round <= rounds; round++) {
                    ingestBatch.add(phase("ingest batch of " + batch + " (durable) #" + round, ingestUri, true, batch));
                    amBatch.add(phase("alertmanager batch of " + batch + " #" + round, alertmanagerUri, false, batch));
                }
                Result is = Result.combine("ingest single (durable)", ingestSingle);
                Result as = Result.combine("alertmanager single", amSingle);
                Result ib = Result.combine("ingest batch of " + batch + " (durable)", ingestBatch);
                Result ab = Result.combine("alertmanager batch of " + batch, amBatch);
                System.out.println();
                System.out.printf("results (measured windows only, after warm-up; %d round(s) each, alternating):%n", rounds);
                for (Result r : List.of(is, as, ib, ab)) {
                    System.out.println("  " + r);
                }
                System.out.printf(Locale.ROOT, "ratio ingest/alertmanager, single-alert POSTs: %.2f%n",
                        is.alertsPerSecond() / as.alertsPerSecond());
                System.out.printf(Locale.ROOT, "ratio ingest/alertmanager, batched POSTs:      %.2f%n",
                        ib.alertsPerSecond() / ab.alertsPerSecond());
            }
        }
    }

    private Result phase(String name, URI uri, boolean ingest, int alertsPerRequest) throws InterruptedException {
        System.out.printf("%s: warming up %d s ...%n", name, warmup);
        drive(uri, ingest, alertsPerRequest, Duration.ofSeconds(warmup));
        System.out.printf("%s: measuring %d s ...%n", name, seconds);
        Result result = drive(uri, ingest, alertsPerRequest, Duration.ofSeconds(seconds));
        result = new Result(name, result.alerts, result.requests, result.failures, result.seconds, result.p50Micros,
                result.p99Micros, result.latencies);
        System.out.println("  " + result);
        return result;
    }

    /** The percentile of sorted nanosecond latencies, in microseconds. */
    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1000;
    }

    /**
     * Keeps {@code concurrency} requests in flight for the duration, one keep-alive connection each;
     * counts only 2xx answers as accepted.
     */
    private Result drive(URI uri, boolean ingest, int alertsPerRequest, Duration duration) throws InterruptedException {
        int concurrency = alertsPerRequest == 1 ? singleConcurrency : batchConcurrency;
        byte[][] requests = new byte[64][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = KeepAliveConnection.request(uri.getHost(), uri.getPort(), uri.getPath(),
                    ingest ? "Bearer " + KEY : null, body(ingest, alertsPerRequest, i).getBytes(StandardCharsets.UTF_8));
        }
        AtomicLong accepted = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        LatencyLog latencies = new LatencyLog();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            int offset = t;
            Thread thread = new Thread(() -> {
                long[] mine = new long[1 << 14];
                int count = 0;
                try (KeepAliveConnection connection = new KeepAliveConnection(uri.getHost(), uri.getPort())) {
                    for (long n = offset; System.nanoTime() < end; n += concurrency) {
                        long before = System.nanoTime();
                        int status;
                        try {
                            status = connection.send(requests[(int) (n % requests.length)]);
                        } catch (IOException e) {
                            status = -1;
                        }
                        long took = System.nanoTime() - before;
                        sent.incrementAndGet();
                        if (status / 100 == 2) {
                            accepted.addAndGet(alertsPerRequest);
                            if (count == mine.length) {
                                mine = Arrays.copyOf(mine, count * 2);
                            }
                            mine[count++] = took;
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                }
                latencies.addAll(mine, count);
            }, "load-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.sorted();
        return new Result("", accepted.get(), sent.get(), failures.get(), elapsed, percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted);
    }

    /** A request body: generic JSON for ingest, Alertmanager's postable alerts otherwise; 1000 distinct alerts rotate. */
    private static String body(boolean ingest, int alerts, int seed) {
        StringBuilder json = new StringBuilder(alerts * 300).append('[');
        String now = Instant.now().toString();
        for (int i = 0; i < alerts; i++) {
            int id = (seed * alerts + i) % 1000;
            if (i > 0) {
                json.append(',');
            }
            if (ingest) {
                json.append("{\"name\":\"BenchAlert").append(id).append("\",\"state\":\"firing\",\"severity\":\"high\",")
                        .append("\"service\":\"checkout\",\"team\":\"web\",\"summary\":\"latency over SLO\",")
                        .append("\"resource\":\"ecs:prod/checkout\",\"labels\":{\"env\":\"prod\",\"instance\":\"web-")
                        .append(id).append("\"},\"occurredAt\":\"").append(now).append("\"}");
            } else {
                json.append("{\"labels\":{\"alertname\":\"BenchAlert").append(id).append("\",\"severity\":\"high\",")
                        .append("\"service\":\"checkout\",\"team\":\"web\",\"env\":\"prod\",\"instance\":\"web-").append(id)
                        .append("\"},\"annotations\":{\"summary\":\"latency over SLO\"},\"startsAt\":\"").append(now)
                        .append("\",\"generatorURL\":\"http://prometheus:9090/graph\"}");
            }
        }
        return json.append(']').toString();
    }

    /** Latencies of accepted requests, from many threads. */
    private static final class LatencyLog {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void addAll(long[] nanos, int count) {
            if (size + count > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + count));
            }
            System.arraycopy(nanos, 0, values, size, count);
            size += count;
        }

        synchronized long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }

    /** Alertmanager with a route to a receiver that sends nothing: what is measured is its alert API. */
    private static final class Alertmanager implements AutoCloseable {
        final int port;
        private final Process process;

        private Alertmanager(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        static Alertmanager start(Path binary, Path work) throws IOException, InterruptedException {
            Path dir = Files.createDirectories(work.resolve("alertmanager"));
            Files.writeString(dir.resolve("alertmanager.yml"), """
                    route:
                      receiver: blackhole
                    receivers:
                      - name: blackhole
                    """);
            int port = FreePorts.next();
            Process process = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("alertmanager.yml"),
                    "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address=", "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            CountDownLatch never = new CountDownLatch(1);
            while (System.nanoTime() < deadline) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return new Alertmanager(port, process);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                never.await(100, TimeUnit.MILLISECONDS);
            }
            process.destroyForcibly();
            throw new IllegalStateException("Alertmanager did not become ready");
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
