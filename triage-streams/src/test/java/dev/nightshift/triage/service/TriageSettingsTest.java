package dev.nightshift.triage.service;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.testkit.SettingsTable;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Triage's settings have one place for their defaults, {@link TriageConfig} (and {@link PipelineSettings} for
 * the connection): the README's table says the same, application.yml adds none of its own, and every
 * variable the README names binds its setting.
 */
class TriageSettingsTest {
    private static final Path README = Path.of("README.md");
    private static final String TMP_STATE_DIR = System.getProperty("java.io.tmpdir") + "/nightshift-triage";

    @Test
    void theReadmeTableSaysTheDefaultsOfTheCode() {
        Map<String, String> documented = SettingsTable.read(README);
        int port;
        try (ApplicationContext context = ApplicationContext.run()) {
            port = context.getProperty("micronaut.server.port", Integer.class).orElseThrow();
        }

        assertThat(SettingsTable.disagreements(README, new TriageConfig(), "TRIAGE_", Map.of(),
                Map.of("TRIAGE_PORT", Integer.toString(port)), Map.of(TMP_STATE_DIR, "{java.io.tmpdir}/nightshift-triage"),
                Set.of("streams"))).isEmpty();
        assertThat(documented).containsEntry("KAFKA_BOOTSTRAP_SERVERS", PipelineSettings.DEFAULT_BOOTSTRAP)
                .containsEntry("SCHEMA_REGISTRY_URL", PipelineSettings.DEFAULT_REGISTRY);
    }

    @Test
    void applicationYmlAddsNoDefaultOfItsOwn() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertThat(SettingsTable.properties(context.getBean(TriageConfig.class)))
                    .isEqualTo(SettingsTable.properties(new TriageConfig()));
            assertThat(context.getProperty("kafka.bootstrap.servers", String.class)).isEmpty();
        }
    }

    @Test
    void everyVariableBindsItsSetting(@TempDir Path dir) throws IOException {
        TriageConfig defaults = new TriageConfig();
        Path rules = Files.writeString(dir.resolve("rules.yaml"), bundled("triage/rules.yaml"));
        Path playbooks = Files.writeString(dir.resolve("playbooks.yaml"), bundled("nightshift/playbooks.yaml"));
        Map<String, Object> variables = new HashMap<>();
        Map<String, Object> expected = new HashMap<>();
        SettingsTable.properties(defaults).forEach((property, value) -> {
            Object other = switch (property) {
                case "rulesFile" -> rules.toString();
                case "playbooksFile" -> playbooks.toString();
                default -> otherThan(property, value);
            };
            if (other != null) {
                variables.put(SettingsTable.variable("TRIAGE_", property), other.toString());
                expected.put(property, other);
            }
        });
        variables.put("TRIAGE_STREAMS_SESSION_TIMEOUT_MS", "12345");

        try (ApplicationContext context = ApplicationContext.builder()
                .propertySources(PropertySource.of("environment-like", variables, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start()) {
            TriageConfig bound = context.getBean(TriageConfig.class);
            Map<String, Object> properties = SettingsTable.properties(bound);
            expected.forEach((property, value) -> assertThat(properties.get(property)).as(property).isEqualTo(value));
            assertThat(bound.getStreams()).containsEntry("session.timeout.ms", "12345");
        }
        assertThat(expected).hasSizeGreaterThan(25);
    }

    private static String bundled(String resource) throws IOException {
        try (InputStream in = TriageSettingsTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A valid value of the setting other than its default, or null for a setting not set this way. */
    private static Object otherThan(String property, Object value) {
        return switch (property) {
            case "stores" -> "rocksdb";
            case "producerCompression" -> "zstd";
            case "analyticsTimeZone" -> "Europe/Berlin";
            case "analyticsWorkingHours" -> "08:00-17:00";
            case "analyticsWorkingDays" -> "MON-SAT";
            case "analyticsTeamHours" -> "payments=UTC 07:00-15:00 MON-FRI";
            case "streams" -> null;
            default -> {
                if (value instanceof Duration d) {
                    yield d.plusSeconds(7);
                } else if (value instanceof Integer i) {
                    yield i + 2;
                } else if (value instanceof Long l) {
                    yield l + 2;
                } else if (value instanceof Short s) {
                    yield (short) (s + 3);
                } else if (value instanceof String s) {
                    yield s.isEmpty() ? "set-" + property : s + "-x";
                }
                yield null;
            }
        };
    }
}
