package dev.nightshift.workers.runner;

import dev.nightshift.testkit.FreePorts;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.workers.WorkersApplication;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The workers service as shipped ({@link WorkersApplication}: the playbook runner and the executors), in a JVM of its
 * own configured by its environment variables, as a user runs it, for tests that kill it the hard way (SIGKILL).
 */
final class WorkersService implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Process process;
    private final int port;

    private WorkersService(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * The environment of one instance on the stack, with topics under {@code prefix}, live (not in dry-run), the AWS SDK
     * pointed at {@code aws}, the runner's app and the executors' group named {@code app}, and the instance's own
     * static-membership ids and state directory: a restart with the same environment takes its partitions and its
     * transactional ids back at once, as under {@code ./pipeline up}.
     */
    static Map<String, String> environment(KafkaStack stack, String prefix, String app, String instance, Path stateDir, Path playbooks,
                                           AwsStandIn aws) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("NIGHTSHIFT_TOPICS_PREFIX", prefix);
        env.put("WORKERS_DRY_RUN", "false");
        env.put("WORKERS_GROUP_ID", app + "-workers");
        env.put("WORKERS_GROUP_INSTANCE_ID", instance + "-workers");
        env.put("WORKERS_RUNNER_APPLICATION_ID", app + "-runner");
        env.put("WORKERS_RUNNER_GROUP_INSTANCE_ID", instance + "-runner");
        env.put("WORKERS_RUNNER_STATE_DIR", stateDir.toString());
        env.put("WORKERS_RUNNER_PLAYBOOKS_FILE", playbooks.toString());
        env.put("AWS_REGION", TestPlaybook.REGION);
        env.put("AWS_ENDPOINT_URL", aws.url());
        env.put("AWS_ACCESS_KEY_ID", "AKIDTEST");
        env.put("AWS_SECRET_ACCESS_KEY", "test-secret");
        return env;
    }

    /** Starts an instance with {@code environment} (and a free port), its output appended to {@code log}. */
    static WorkersService start(Map<String, String> environment, Path log) throws IOException {
        int port = FreePorts.next();
        ProcessBuilder builder = new ProcessBuilder(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), WorkersApplication.class.getName()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = new HashMap<>(environment);
        env.put("WORKERS_PORT", Integer.toString(port));
        builder.environment().putAll(env);
        return new WorkersService(builder.start(), port);
    }

    /** Its readiness answers 200: the runner is RUNNING and the executors have joined their group and have their assignment. */
    boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the JVM is gone at once, whatever it was doing. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Whether the ledger's {@code worker} names an executor of the instance with {@code environment} ({@code <WORKERS_GROUP_INSTANCE_ID>@host:pid}). */
    static boolean wrote(Map<String, String> environment, String worker) {
        return worker.startsWith(environment.get("WORKERS_GROUP_INSTANCE_ID") + "@");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString() + (File.separatorChar == '\\' ? ".exe" : "");
    }
}
