package dev.nightshift.deploy;

import dev.nightshift.testkit.SettingsTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher's settings: the root README's table says its defaults, and a bad port is refused by name. */
class StackConfigTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void theRootReadmeSaysTheLaunchersDefaults() {
        StackConfig defaults = StackConfig.fromEnvironment(Path.of("."), Map.of());
        Map<String, String> documented = SettingsTable.read(README);

        assertThat(documented).containsEntry("KAFKA_PORT", Integer.toString(defaults.kafkaPort()))
                .containsEntry("KAFKA_CONTROLLER_PORT", Integer.toString(defaults.controllerPort()))
                .containsEntry("REGISTRY_PORT", Integer.toString(defaults.registryPort()))
                .containsEntry("INGEST_PORT", Integer.toString(defaults.ingestPort()))
                .containsEntry("TRIAGE_PORT", Integer.toString(defaults.triagePort()))
                .containsEntry("WORKERS_PORT", Integer.toString(defaults.workersPort()))
                .containsEntry("NOTIFIER_PORT", Integer.toString(defaults.notifierPort()))
                .containsEntry("SERVICE_JAVA_OPTS", defaults.javaOpts());
    }

    @Test
    void aPortThatIsNotOneIsRefusedNamingItsVariable() {
        assertThatThrownBy(() -> StackConfig.fromEnvironment(Path.of("."), Map.of("TRIAGE_PORT", "70000")))
                .hasMessageContaining("TRIAGE_PORT").hasMessageContaining("70000");
    }
}
