package dev.nightshift.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real schema registry (Apicurio Registry, in-memory) run as a child process. Its
 * Confluent-compatible API is at {@link #confluentUrl()}. The server comes from the Maven local
 * repository, where the build's {@code fetch-schema-registry} step puts it.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    public static final String VERSION = "3.0.9";
    public static final String CONFLUENT_PATH = "/apis/ccompat/v7";

    private final Process process;
    private final int port;
    private final Path log;

    private SchemaRegistryServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts an in-memory registry on the given port (0 for a free one) and waits until it answers. */
    public static SchemaRegistryServer start(int port, Path logFile, Duration timeout) {
        return start(port, logFile, timeout, null);
    }

    /**
     * Starts a registry on the given port (0 for a free one) and waits until it answers. With a data
     * directory, schemas are kept there (an H2 file database) and survive a restart, so that records
     * kept by a broker stay readable; without one they live in memory.
     */
    public static SchemaRegistryServer start(int port, Path logFile, Duration timeout, Path dataDirectory) {
        int actualPort = port == 0 ? freePort() : port;
        Path home = unpacked();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dquarkus.http.port=" + actualPort);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.log.level=WARN");
        command.add("-Dquarkus.http.access-log.enabled=false");
        if (dataDirectory != null) {
            command.add("-Dapicurio.datasource.url=jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("registry"));
        }
        command.add("-Dapicurio.rest.deletion.artifact.enabled=true");
        command.add("-Dapicurio.rest.deletion.artifact-version.enabled=true");
        command.add("-Dapicurio.ccompat.legacy-id-mode.enabled=false");
        command.add("-jar");
        command.add(home.resolve("apicurio-registry-app-" + VERSION + "-runner.jar").toString());
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
            }
            Process process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            SchemaRegistryServer server = new SchemaRegistryServer(process, actualPort, logFile);
            server.awaitReady(timeout);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the schema registry", e);
        }
    }

    public int port() {
        return port;
    }

    /** The base URL of the Confluent Schema Registry API. */
    public String confluentUrl() {
        return "http://127.0.0.1:" + port + CONFLUENT_PATH;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(confluentUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the schema registry exited with code " + process.exitValue()
                        + "; its log is " + log);
            }
            try {
                HttpResponse<Void> response = http.send(probe, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
            pause();
        }
        close();
        throw new IllegalStateException("the schema registry did not answer within " + timeout + "; its log is " + log);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The zip in the local Maven repository. */
    public static Path distribution() {
        String explicit = System.getProperty("nightshift.schema-registry.zip", System.getenv("NIGHTSHIFT_SCHEMA_REGISTRY_ZIP"));
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String repo = System.getProperty("maven.repo.local");
        Path local = repo != null && !repo.isBlank()
                ? Path.of(repo)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return local.resolve(Path.of("io", "apicurio", "apicurio-registry-app", VERSION,
                "apicurio-registry-app-" + VERSION + "-all.zip"));
    }

    /** Unpacks the distribution once into a cache directory and returns where. */
    static synchronized Path unpacked() {
        Path zip = distribution();
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("the schema registry distribution is missing at " + zip
                    + "; fetch it with: mvn dependency:get -Dtransitive=false"
                    + " -Dartifact=io.apicurio:apicurio-registry-app:" + VERSION + ":zip:all");
        }
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "nightshift-apicurio-" + VERSION);
        Path marker = cache.resolve(".complete");
        if (Files.exists(marker)) {
            return cache;
        }
        try {
            Path staging = Files.createTempDirectory(cache.getParent(), "nightshift-apicurio-unpack");
            try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
                ZipEntry entry;
                while ((entry = entries.getNextEntry()) != null) {
                    Path target = staging.resolve(entry.getName()).normalize();
                    if (!target.startsWith(staging)) {
                        throw new IOException("zip entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(entries, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.writeString(staging.resolve(".complete"), VERSION);
            try {
                Files.move(staging, cache, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                if (!Files.exists(marker)) {
                    throw raced;
                }
            }
            return cache;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + zip, e);
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }
}
