package dev.nightshift.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process the stack started, its output in a log file and its pid in {@code run/NAME.pid} so that
 * a later start can stop what a killed launcher left behind.
 * <p>
 * Each child runs in a session of its own ({@code setsid}, where the system has it), so a Ctrl-C in
 * the launcher's terminal reaches the launcher alone, which then stops the services before the
 * broker: a service stopping while the broker is still up leaves its consumer group and commits its
 * last transaction, so the next start resumes at once instead of waiting out a session timeout.
 */
final class ChildProcess {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final Path log;
    private final Path pidFile;

    private ChildProcess(String name, Process process, Path log, Path pidFile) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workingDirectory, Path data) {
        try {
            Path logs = Files.createDirectories(data.resolve("logs"));
            Path run = Files.createDirectories(data.resolve("run"));
            Path log = logs.resolve(name + ".log");
            List<String> inOwnSession = new java.util.ArrayList<>();
            if (Files.isExecutable(SETSID)) {
                inOwnSession.add(SETSID.toString());   // not a group leader, so setsid execs the command: the pid stays its own
            }
            inOwnSession.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(inOwnSession)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            Path pidFile = run.resolve(name + ".pid");
            Files.writeString(pidFile, Long.toString(process.pid()));
            return new ChildProcess(name, process, log, pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Stops a process an earlier run left behind, if its pid file names a live java (or, for dynalite, node) process. */
    static Optional<String> stopLeftover(Path data, String name) {
        Path pidFile = data.resolve("run").resolve(name + ".pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Files.deleteIfExists(pidFile);
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.endsWith("java") || c.endsWith("node")).orElse(false));
            if (handle.isEmpty()) {
                return Optional.empty();
            }
            handle.get().destroy();
            handle.get().onExit().get(15, TimeUnit.SECONDS);
            return Optional.of(name + " (pid " + pid + ")");
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
    void stop(long graceSeconds) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // the pid file only helps a later start; losing it is harmless
        }
    }
}
