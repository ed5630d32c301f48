package dev.nightshift.workers.actions;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * dynalite 4.0.0 (npm, Apache-2.0 as of 4.0.0), an open-source implementation of the DynamoDB API, as a child process on a free port.
 * It is installed into {@code target/dynalite} when missing ({@code .ci/run} installs it before the build on CI);
 * without Node.js the test is skipped, saying so; a failed install fails the test.
 */
final class Dynalite implements AutoCloseable {
    static final String PACKAGE = "dynalite@4.0.0";
    private final Process process;
    private final int port;

    private Dynalite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Dynalite start() throws Exception {
        String node = version("node");
        Assumptions.assumeTrue(node != null, "Node.js is not installed (node --version failed): the dynalite tests need it");
        Path home = Path.of("target", "dynalite").toAbsolutePath();
        Path cli = home.resolve("node_modules/.bin/dynalite");
        if (!Files.exists(cli)) {
            Files.createDirectories(home);
            // --prefix: npm installs here, not into a package.json it finds further up
            run(home, Duration.ofMinutes(5), "npm", "install", "--prefix", home.toString(), "--no-audit", "--no-fund", "--no-save", PACKAGE);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder("node", cli.toString(), "--port", Integer.toString(port), "--host", "127.0.0.1",
                "--createTableMs", "0", "--updateTableMs", "0", "--deleteTableMs", "0")
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("dynalite-" + port + ".log").toFile()).start();
        Dynalite dynalite = new Dynalite(process, port);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("dynalite exited: " + Files.readString(home.resolve("dynalite-" + port + ".log")));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            dynalite.close();
            throw e;
        }
        return dynalite;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The program's version, or null when it cannot be run. */
    private static String version(String program) {
        try {
            Process process = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static void run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Path log = dir.resolve("install.log");
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took over " + timeout + ": " + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (is the npm registry reachable?): " + Files.readString(log));
        }
    }
}
