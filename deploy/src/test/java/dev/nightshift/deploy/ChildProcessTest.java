package dev.nightshift.deploy;

import dev.nightshift.registry.DynaliteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ChildProcessTest {
    @Test
    void aNodeProcessLeftByAKilledLauncherIsStoppedAtTheNextStart(@TempDir Path data) throws Exception {
        assumeTrue(DynaliteServer.nodeVersion().isPresent(), "Node.js is not installed (node --version failed)");
        Process leftover = new ProcessBuilder("node", "-e", "setInterval(() => {}, 1000)").start();
        try {
            Files.writeString(Files.createDirectories(data.resolve("run")).resolve("dynalite.pid"), Long.toString(leftover.pid()));

            assertThat(ChildProcess.stopLeftover(data, "dynalite")).hasValue("dynalite (pid " + leftover.pid() + ")");
            assertThat(leftover.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(data.resolve("run").resolve("dynalite.pid")).doesNotExist();
        } finally {
            leftover.destroyForcibly();
        }
    }

    @Test
    void aPidFileNamingAnotherProgramStopsNothing(@TempDir Path data) throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(Files.createDirectories(data.resolve("run")).resolve("dynalite.pid"), Long.toString(other.pid()));

            assertThat(ChildProcess.stopLeftover(data, "dynalite")).isEmpty();
            assertThat(other.isAlive()).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }
}
