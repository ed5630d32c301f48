package dev.nightshift.triage.playbook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaybookNamesTest {
    @Test
    void theShippedPlaybooksAreTheSeedsCases() {
        assertThat(PlaybookNames.load(null).names()).containsExactlyInAnyOrder("dynamodb-throttling", "ecs-unhealthy-service",
                "lambda-throttles", "ec2-status-check", "high-5xx-rate", "suspicious-ip");
    }

    @Test
    void aFileOfOnesOwnIsReadAndABadOneNamesItself(@TempDir Path dir) throws Exception {
        Path own = Files.writeString(dir.resolve("mine.yaml"), "playbooks:\n  restart-it:\n    steps: []\n");
        assertThat(PlaybookNames.load(own.toString()).names()).containsExactly("restart-it");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "playbooks: [a, b]\n");
        assertThatThrownBy(() -> PlaybookNames.load(bad.toString())).hasMessageContaining("bad.yaml").hasMessageContaining("mapping");
    }
}
