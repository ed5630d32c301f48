package dev.nightshift.workers;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.workers.runner.RunnerConfig;
import dev.nightshift.testkit.SettingsTable;
import dev.nightshift.topics.TopicNames;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's settings table and the code's defaults agree, both ways: no setting undocumented, no row without its setting. */
class ReadmeSettingsTest {
    private static final Path README = Path.of("README.md");

    @Test
    void theSettingsTableHasEverySettingWithTheCodesDefaultAndNoOther() throws IOException {
        Map<String, String> elsewhere = defaultsOutsideTheSettingsClasses();

        Map<String, String> runner = new HashMap<>();
        SettingsTable.properties(new RunnerConfig()).forEach((property, value) -> runner.put(SettingsTable.variable("WORKERS_RUNNER_", property), ""));
        Map<String, String> notWorkersConfig = new HashMap<>(elsewhere);
        SettingsTable.read(README).forEach((variable, value) -> {
            if (runner.containsKey(variable)) {
                notWorkersConfig.put(variable, value);
            }
        });
        String tmpStateDir = System.getProperty("java.io.tmpdir") + "/nightshift-runner";
        List<String> problems = new ArrayList<>(SettingsTable.disagreements(README, new WorkersConfig(), "WORKERS_", Map.of(), notWorkersConfig, Map.of()));
        problems.addAll(SettingsTable.disagreements(README, new RunnerConfig(), "WORKERS_RUNNER_", Map.of(), Map.of(),
                Map.of(tmpStateDir, "{java.io.tmpdir}/nightshift-runner")));
        problems.addAll(SettingsTable.disagreements(README, new AwsConfig(), "AWS_", Map.of(), Map.of(), Map.of()));
        assertThat(problems).isEmpty();
        assertThat(SettingsTable.read(README).keySet().stream().filter(v -> !v.startsWith("WORKERS_") && !v.startsWith("AWS_")))
                .as("the README's other rows").containsExactlyInAnyOrderElementsOf(elsewhere.keySet().stream()
                        .filter(v -> !v.startsWith("WORKERS_")).toList());
    }

    /** The defaults that live in PipelineSettings, TopicNames, application.yml (the port) and logback.xml (logging). */
    private static Map<String, String> defaultsOutsideTheSettingsClasses() throws IOException {
        Map<String, String> defaults = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", PipelineSettings.DEFAULT_BOOTSTRAP,
                "KAFKA_CLIENT_CONFIG", "",
                "SCHEMA_REGISTRY_URL", PipelineSettings.DEFAULT_REGISTRY,
                "SCHEMA_REGISTRY_USER_INFO", "",
                "NIGHTSHIFT_TOPICS_PREFIX", TopicNames.defaults().prefix(),
                "NIGHTSHIFT_TOPICS_REMEDIATION_OUTCOMES", TopicNames.defaults().remediationOutcomes(),
                "NIGHTSHIFT_TOPICS_ACTIONS_LEDGER", TopicNames.defaults().actionsLedger()));
        try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false).build()) {
            Environment environment = context.getEnvironment().start();
            defaults.put("WORKERS_PORT", environment.getProperty("micronaut.server.port", String.class).orElseThrow());
        }
        try (InputStream logback = ReadmeSettingsTest.class.getResourceAsStream("/logback.xml")) {
            Matcher variable = Pattern.compile("\\$\\{(LOG_[A-Z_]+):-([^}]*)}").matcher(new String(logback.readAllBytes(), StandardCharsets.UTF_8));
            while (variable.find()) {
                defaults.put(variable.group(1), variable.group(2));
            }
        }
        return defaults;
    }
}
