package dev.nightshift.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ./pipeline up} prints once ready: every service's address, and the dashboard's on triage's port. */
class ReadyLinesTest {

    @Test
    void theReadyOutputLinksTheDashboardOnTriagesPort() {
        StackConfig config = StackConfig.fromEnvironment(Path.of("."), Map.of("TRIAGE_PORT", "18082"));

        assertThat(LocalStack.readyLines(service -> "http://127.0.0.1:" + config.port(service)))
                .contains("triage-streams   http://127.0.0.1:18082   (health http://127.0.0.1:18082/health, metrics "
                        + "http://127.0.0.1:18082/prometheus)")
                .last().asString().startsWith("dashboard        http://127.0.0.1:18082/ ");
    }
}
