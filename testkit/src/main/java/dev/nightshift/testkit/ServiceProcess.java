package dev.nightshift.testkit;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A service as shipped, in a JVM of its own configured by its environment variables (as a user runs it), on a free
 * port, for tests that kill it the hard way (SIGKILL) and start it again.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Process process;
    private final int port;

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code mainClass} from this JVM's class path with {@code environment}, its port in {@code portVariable}, its
     * output appended to {@code log}.
     */
    public static ServiceProcess start(String mainClass, Map<String, String> environment, String portVariable, Path log) throws IOException {
        return start(mainClass, System.getProperty("java.class.path"), List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"), environment,
                portVariable, log);
    }

    /**
     * Starts {@code mainClass} from {@code classpath} (e.g. another module's, {@link #moduleClasspath}) with the JVM
     * options {@code jvmOptions} and {@code environment}, its port in {@code portVariable}, its output appended to {@code log}.
     */
    public static ServiceProcess start(String mainClass, String classpath, List<String> jvmOptions, Map<String, String> environment,
                                       String portVariable, Path log) throws IOException {
        int port = FreePorts.next();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString() + (File.separatorChar == '\\' ? ".exe" : "");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = new HashMap<>(environment);
        env.put(portVariable, Integer.toString(port));
        builder.environment().putAll(env);
        return new ServiceProcess(builder.start(), port);
    }

    /**
     * The runtime classpath of a service module built in this checkout, as {@code ./pipeline} starts it: its
     * {@code target/classes} and the jars its build listed in {@code target/classpath.txt}.
     */
    public static String moduleClasspath(Path module) throws IOException {
        Path listed = module.resolve("target").resolve("classpath.txt");
        if (!Files.isRegularFile(listed)) {
            throw new IllegalStateException(module.getFileName() + " is not built (" + listed.toAbsolutePath()
                    + " is missing): build it with its module, e.g. mvn -o -pl " + module.getFileName() + " -am package -DskipTests");
        }
        return module.resolve("target").resolve("classes").toAbsolutePath() + File.pathSeparator + Files.readString(listed).trim();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Whether {@code /health} answers 200. */
    public boolean healthy() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: the JVM is gone at once, whatever it was doing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
