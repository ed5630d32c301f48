package dev.nightshift.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * dynalite (npm, Apache-2.0), an open-source implementation of the DynamoDB API, run with Node.js as a
 * child process: installed with npm into a directory of its own, then started in memory on a loopback
 * port with tables created and updated at once. For the local stack's demo and for tests. Amazon's
 * DynamoDB Local is not used: its licence is the vendor's own terms.
 */
public final class DynaliteServer implements AutoCloseable {
    public static final String PACKAGE = "dynalite@4.0.0";

    private final Process process;
    private final int port;
    private final Path log;

    private DynaliteServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Node.js's version ({@code node --version}), or empty when node cannot be run here. */
    public static Optional<String> nodeVersion() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Whether dynalite is installed in {@code home}. */
    public static boolean installed(Path home) {
        return Files.exists(cli(home));
    }

    /**
     * Installs {@link #PACKAGE} into {@code home} with npm, which needs the network to the npm registry; npm's
     * output goes to {@code home/install.log}. Throws, with that output, when npm fails or takes longer than
     * {@code timeout}.
     */
    public static void install(Path home, Duration timeout) {
        Path dir = home.toAbsolutePath();
        Path log = dir.resolve("install.log");
        // --prefix: npm installs here, not into a package.json it finds further up
        List<String> command = List.of("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund", "--no-save", PACKAGE);
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took over " + timeout + ": " + Files.readString(log));
            }
            if (process.exitValue() != 0 || !installed(dir)) {
                throw new IllegalStateException(String.join(" ", command) + " failed (is the npm registry reachable?): "
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run npm to install " + PACKAGE + " (is npm installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + PACKAGE, e);
        }
    }

    /**
     * Starts the dynalite installed in {@code home} on {@code port} (0 for a free one), in memory, its output in
     * {@code logFile}, and waits until it takes connections.
     */
    public static DynaliteServer start(Path home, int port, Path logFile, Duration timeout) {
        if (!installed(home)) {
            throw new IllegalStateException("dynalite is not installed in " + home + " (DynaliteServer.install)");
        }
        int actualPort = port == 0 ? freePort() : port;
        List<String> command = List.of("node", cli(home).toAbsolutePath().toString(), "--port", Integer.toString(actualPort),
                "--host", "127.0.0.1", "--createTableMs", "0", "--updateTableMs", "0", "--deleteTableMs", "0");
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(logFile.toFile()).start();
            DynaliteServer server = new DynaliteServer(process, actualPort, logFile);
            server.awaitReady(timeout);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start dynalite (is node installed?)", e);
        }
    }

    /** Where the AWS SDK reaches it, e.g. as {@code AWS_ENDPOINT_URL_DYNAMODB}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dynalite exited with code " + process.exitValue() + ": " + tail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for dynalite", e);
            }
        }
        close();
        throw new IllegalStateException("dynalite did not listen on port " + port + " within " + timeout + ": " + tail());
    }

    private String tail() {
        try {
            String text = Files.readString(log);
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(see " + log + ")";
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path cli(Path home) {
        return home.resolve("node_modules").resolve(".bin").resolve("dynalite");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }
}
