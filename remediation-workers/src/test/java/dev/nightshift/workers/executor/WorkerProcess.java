package dev.nightshift.workers.executor;

import dev.nightshift.testkit.FreePorts;
import dev.nightshift.workers.WorkersApplication;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The workers as shipped ({@link WorkersApplication}), in a JVM of their own, for tests that kill a worker the hard
 * way (SIGKILL): settings are passed as system properties, the fake actions are switched in by {@code fake-aws.url}.
 */
final class WorkerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Process process;
    private final int port;

    private WorkerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static WorkerProcess start(Map<String, String> settings, Path log) throws IOException {
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "-Dmicronaut.server.port=" + port));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(WorkersApplication.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new WorkerProcess(process, port);
    }

    /** Its readiness answers 200: it has joined its group and has its assignment. */
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

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString() + (File.separatorChar == '\\' ? ".exe" : "");
    }
}
