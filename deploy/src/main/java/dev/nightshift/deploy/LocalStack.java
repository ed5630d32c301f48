package dev.nightshift.deploy;

import dev.nightshift.kafka.KafkaSettings;
import dev.nightshift.kafka.TopicCreator;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.registry.DynaliteServer;
import dev.nightshift.registry.SchemaRegistryServer;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.admin.Admin;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The whole pipeline on one machine: a real KRaft broker and the schema registry (both keeping their
 * state under {@code .pipeline/}), the pipeline's topics, and the four services, each a child
 * process started from its module's build output; for the demo, dynalite (an open-source DynamoDB,
 * in memory) beside them, with every service's DynamoDB client pointed at it. {@link #close()} stops
 * them all, services first.
 */
public final class LocalStack implements AutoCloseable {
    private static final List<String> CHILDREN = List.of("kafka", "schema-registry", "dynalite", "ingest-service", "triage-streams",
            "remediation-workers", "notifier");

    private final StackConfig config;
    private final PrintStream out;
    private final List<ChildProcess> children = new ArrayList<>();
    private final Map<Service, ChildProcess> services = new EnumMap<>(Service.class);
    private SchemaRegistryServer registry;
    private DynaliteServer dynalite;
    private String apiKey;
    /** Where the generated key is kept; null when it came from INGEST_API_KEY. */
    private Path apiKeyFile;
    private volatile boolean closed;

    private LocalStack(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Starts everything and returns when every service reports healthy. */
    public static LocalStack start(StackConfig config, Map<String, String> extraServiceEnv, PrintStream out) throws Exception {
        return start(config, extraServiceEnv, null, out);
    }

    /**
     * Starts everything and returns when every service reports healthy; with {@code dynaliteHome} (where
     * {@link DynaliteServer#install} put dynalite), dynalite too, on a free port, and the services get
     * {@code AWS_ENDPOINT_URL_DYNAMODB} pointing at it.
     */
    public static LocalStack start(StackConfig config, Map<String, String> extraServiceEnv, Path dynaliteHome, PrintStream out)
            throws Exception {
        LocalStack stack = new LocalStack(config, out);
        try {
            stack.startAll(extraServiceEnv, dynaliteHome);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Map<String, String> extraServiceEnv, Path dynaliteHome) throws Exception {
        Files.createDirectories(config.data());
        for (String name : CHILDREN) {
            ChildProcess.stopLeftover(config.data(), name)
                    .ifPresent(what -> out.println("stopped " + what + " left over from an earlier run"));
        }
        checkPortsFree();
        apiKey = resolveApiKey();

        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            Future<SchemaRegistryServer> registryStart = starter.submit(() -> SchemaRegistryServer.start(config.registryPort(),
                    config.data().resolve("logs").resolve("schema-registry.log"), Duration.ofSeconds(120),
                    config.data().resolve("schema-registry")));
            ChildProcess broker = KafkaBroker.start(config);
            children.add(broker);
            KafkaBroker.awaitReady(config, broker, Duration.ofSeconds(90));
            out.println("kafka            " + config.bootstrapServers() + "   (data in " + config.data().resolve("kafka") + ")");
            createTopics();
            if (dynaliteHome != null) {
                // about a second, while the registry still starts
                dynalite = DynaliteServer.start(dynaliteHome, 0, config.data().resolve("logs").resolve("dynalite.log"), Duration.ofSeconds(30));
                Files.writeString(Files.createDirectories(config.data().resolve("run")).resolve("dynalite.pid"), Long.toString(dynalite.pid()));
                out.println("dynalite         " + dynalite.endpoint() + "   (DynamoDB API, in memory: " + DynaliteServer.PACKAGE
                        + " from npm, run by Node.js)");
            }
            registry = registryStart.get();
            Files.writeString(Files.createDirectories(config.data().resolve("run")).resolve("schema-registry.pid"),
                    Long.toString(registry.pid()));
            out.println("schema registry  " + config.registryUrl());
        } finally {
            starter.shutdownNow();
        }

        Map<String, String> env = serviceEnvironment(extraServiceEnv);
        for (Service service : Service.values()) {
            ChildProcess child = startService(service, env);
            children.add(child);
            services.put(service, child);
        }
        List<CompletableFuture<Void>> health = new ArrayList<>();
        for (Service service : Service.values()) {
            health.add(CompletableFuture.runAsync(() -> awaitHealthy(service, Duration.ofSeconds(120))));
        }
        CompletableFuture.allOf(health.toArray(CompletableFuture[]::new)).join();
        readyLines(this::url).forEach(out::println);
    }

    /** What is printed once every service is healthy: each service's address, health and metrics, then the dashboard's. */
    static List<String> readyLines(Function<Service, String> url) {
        List<String> lines = new ArrayList<>();
        for (Service service : Service.values()) {
            lines.add(String.format("%-16s %s   (health %s/health, metrics %s/prometheus)", service.module(), url.apply(service),
                    url.apply(service), url.apply(service)));
        }
        lines.add(String.format("%-16s %s/   (open incidents, MTTR and MTTA per team, coverage, timelines)", "dashboard",
                url.apply(Service.TRIAGE)));
        return lines;
    }

    private void createTopics() {
        Topics topics = topics();
        List<String> names = new ArrayList<>();
        for (Topic<String, ?> topic : topics.fixedTopics()) {
            names.add(topic.name());
        }
        names.add(topics.alertsRaw().deadLetterName());
        try (Admin admin = Admin.create(KafkaSettings.of(config.bootstrapServers()).common())) {
            new TopicCreator(admin, 3, (short) 1).ensure(names);
            // ownership, automation control and the actions ledger are tables: keep the latest record per key.
            Map<org.apache.kafka.common.config.ConfigResource, java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>> compact =
                    new HashMap<>();
            for (Topic<String, ?> table : topics.compactedTopics()) {
                compact.put(new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                        table.name()), List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                        new org.apache.kafka.clients.admin.ConfigEntry("cleanup.policy", "compact"),
                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
            }
            admin.incrementalAlterConfigs(compact).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("could not create the pipeline's topics: " + e.getMessage(), e);
        }
    }

    TopicNames topicNames() {
        return TopicNames.from(key -> config.env().get("NIGHTSHIFT_TOPICS_" + key.toUpperCase().replace('-', '_')));
    }

    private Map<String, String> serviceEnvironment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", config.registryUrl());
        env.put("INGEST_API_KEY", apiKey);
        env.put("TRIAGE_STATE_DIR", config.data().resolve("triage-state").toAbsolutePath().toString());
        env.put("TRIAGE_APPLICATION_SERVER", "127.0.0.1:" + config.triagePort());
        // One instance of each: static membership lets a restart take its partitions back at once, even after a crash.
        env.put("TRIAGE_GROUP_INSTANCE_ID", "local-triage");
        env.put("WORKERS_GROUP_INSTANCE_ID", "local-workers");
        env.put("NOTIFIER_GROUP_INSTANCE_ID", "local-notifier");
        env.put("NOTIFIER_PLANNER_GROUP_INSTANCE_ID", "local-notifier-planner");
        env.put("NOTIFIER_PLANNER_STATE_DIR", config.data().resolve("notifier-planner-state").toAbsolutePath().toString());
        env.put("WORKERS_RUNNER_GROUP_INSTANCE_ID", "local-runner");
        env.put("WORKERS_RUNNER_STATE_DIR", config.data().resolve("runner-state").toAbsolutePath().toString());
        for (Service service : Service.values()) {
            env.put(service.portVariable(), Integer.toString(config.port(service)));
        }
        env.putAll(extra);
        if (dynalite != null) {
            env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint());   // the SDK's own setting: no code of ours reads it
        }
        return env;
    }

    private ChildProcess startService(Service service, Map<String, String> env) {
        Path module = config.home().resolve(service.module());
        Path classes = module.resolve("target").resolve("classes");
        Path classpathFile = module.resolve("target").resolve("classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(service.module() + " is not built (" + classpathFile + " is missing): run mvn -DskipTests package");
        }
        String classpath;
        try {
            classpath = classes + java.io.File.pathSeparator + Files.readString(classpathFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : config.javaOpts().trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(classpath);
        command.add(service.mainClass());
        return ChildProcess.start(service.module(), command, env, config.home(), config.data());
    }

    private void awaitHealthy(Service service, Duration timeout) {
        ChildProcess child = services.get(service);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url(service) + "/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !closed) {
            if (!child.isAlive()) {
                throw new IllegalStateException(service.module() + " exited during start; see " + child.log());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException(service.module() + " did not report healthy within " + timeout + "; see " + child.log());
    }

    private void checkPortsFree() {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        ports.put("KAFKA_PORT", config.kafkaPort());
        ports.put("KAFKA_CONTROLLER_PORT", config.controllerPort());
        ports.put("REGISTRY_PORT", config.registryPort());
        for (Service service : Service.values()) {
            ports.put(service.portVariable(), config.port(service));
        }
        for (Map.Entry<String, Integer> port : ports.entrySet()) {
            try (ServerSocket socket = new ServerSocket(port.getValue(), 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                throw new IllegalStateException("port " + port.getValue() + " is taken; choose another with " + port.getKey() + "=...");
            }
        }
    }

    private String resolveApiKey() throws IOException {
        String fromEnv = config.env().get("INGEST_API_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        Path file = config.data().resolve("ingest-api-key");
        apiKeyFile = file;
        if (Files.isRegularFile(file)) {
            String kept = Files.readString(file).trim();
            if (!kept.isEmpty()) {
                return kept;
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.writeString(file, key + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return key;
    }

    /** True once {@link #close()} began: children exiting then are expected. */
    public boolean closing() {
        return closed;
    }

    public StackConfig config() {
        return config;
    }

    public String apiKey() {
        return apiKey;
    }

    /** The file holding the ingest key, or empty when the key came from INGEST_API_KEY. */
    public Optional<Path> apiKeyFile() {
        return Optional.ofNullable(apiKeyFile);
    }

    public String url(Service service) {
        return "http://127.0.0.1:" + config.port(service);
    }

    /** dynalite's endpoint, when the stack started it. */
    public Optional<String> dynamoDbEndpoint() {
        return Optional.ofNullable(dynalite).map(DynaliteServer::endpoint);
    }

    /** The pipeline's topics, their names as the services have them, with the stack's registry. */
    public Topics topics() {
        return new Topics(topicNames(), RegistryConfig.of(config.registryUrl()));
    }

    /** The pids of every process the stack started (broker, registry, dynalite, services). */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>(children.stream().map(ChildProcess::pid).toList());
        if (registry != null) {
            pids.add(registry.pid());
        }
        if (dynalite != null) {
            pids.add(dynalite.pid());
        }
        return pids;
    }

    /** The first child that died, if any did. */
    public Optional<String> deadChild() {
        return children.stream().filter(c -> !c.isAlive()).map(c -> c.name() + " (see " + c.log() + ")").findFirst()
                .or(() -> registry != null && !registry.isAlive() ? Optional.of("schema-registry") : Optional.empty())
                .or(() -> dynalite != null && !dynalite.isAlive() ? Optional.of("dynalite (see " + dynalite.log() + ")") : Optional.empty());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ChildProcess> reversed = new ArrayList<>(children);
        java.util.Collections.reverse(reversed);
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ChildProcess child : reversed) {
            if (!child.name().equals("kafka")) {
                stops.add(CompletableFuture.runAsync(() -> child.stop(20)));
            }
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        if (registry != null) {
            registry.close();
            deletePidFile("schema-registry");
        }
        if (dynalite != null) {
            dynalite.close();
            deletePidFile("dynalite");
        }
        children.stream().filter(c -> c.name().equals("kafka")).forEach(c -> c.stop(30));
    }

    private void deletePidFile(String name) {
        try {
            Files.deleteIfExists(config.data().resolve("run").resolve(name + ".pid"));
        } catch (IOException ignored) {
            // only a hint for the next start
        }
    }
}
