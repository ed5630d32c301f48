package dev.nightshift.triage.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command's refusals that need no broker: they come before it connects. */
class OwnershipCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return OwnershipCli.run(args, env::get, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aTeamTopicPartitionCountThatIsNotAPositiveNumberIsRefusedBeforeAnythingIsPublished(@TempDir Path dir) throws Exception {
        assertRefusedBeforeAnythingIsPublished(dir, "TRIAGE_TEAM_TOPIC_PARTITIONS",
                "TRIAGE_TEAM_TOPIC_PARTITIONS must be a positive number", "0", "-3", "two");
    }

    @Test
    void aReplicationFactorThatIsNeitherMinusOneNorPositiveIsRefusedBeforeAnythingIsPublished(@TempDir Path dir) throws Exception {
        assertRefusedBeforeAnythingIsPublished(dir, "TRIAGE_REPLICATION_FACTOR",
                "TRIAGE_REPLICATION_FACTOR must be -1 (the broker's default) or a positive number", "0", "-2", "three", "40000");
    }

    /** Each bad value of {@code variable} ends the command with exit 2 and {@code message} before it connects. */
    private void assertRefusedBeforeAnythingIsPublished(Path dir, String variable, String message, String... badValues) throws Exception {
        Path file = dir.resolve("ownership.yaml");
        Files.writeString(file, """
                services:
                  - name: checkout
                    team: payments
                """);
        for (String bad : badValues) {
            err.reset();
            assertThat(run(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", variable, bad), "apply", file.toString()))
                    .as(bad).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains(message).contains("'" + bad + "'");
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aBadFileIsRefusedNamingTheProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ownership.yaml");
        Files.writeString(file, """
                services:
                  - team: payments
                """);
        assertThat(run(Map.of(), "apply", file.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ownership file refused: ").contains("has no name");
    }

    @Test
    void anythingButApplyPrintsTheUsage() {
        assertThat(run(Map.of(), "remove", "x.yaml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: OwnershipCli apply FILE.yaml");
    }
}
