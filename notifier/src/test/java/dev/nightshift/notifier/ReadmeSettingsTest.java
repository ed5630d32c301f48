package dev.nightshift.notifier;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.notifier.jira.JiraConfig;
import dev.nightshift.notifier.paging.PagerDutyConfig;
import dev.nightshift.notifier.secrets.SecretsConfig;
import dev.nightshift.notifier.slack.SlackWebhookConfig;
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

        List<String> problems = new ArrayList<>(SettingsTable.disagreements(README, new NotifierConfig(), "NOTIFIER_", Map.of(), elsewhere, Map.of()));
        problems.addAll(SettingsTable.disagreements(README, new SlackWebhookConfig(), "SLACK_WEBHOOK_", Map.of(), Map.of(), Map.of()));
        problems.addAll(SettingsTable.disagreements(README, new JiraConfig(), "JIRA_", Map.of(), Map.of(), Map.of()));
        problems.addAll(SettingsTable.disagreements(README, new PagerDutyConfig(), "PAGERDUTY_", Map.of(), Map.of(), Map.of()));
        // AWS_ENDPOINT_URL is the AWS SDK's own setting, read by the SDK: documented, with no default of ours.
        problems.addAll(SettingsTable.disagreements(README, new SecretsConfig(), "AWS_", Map.of(), Map.of("AWS_ENDPOINT_URL", ""), Map.of()));
        assertThat(problems).isEmpty();
        List<String> classPrefixes = List.of("NOTIFIER_", "SLACK_WEBHOOK_", "JIRA_", "PAGERDUTY_", "AWS_");
        assertThat(SettingsTable.read(README).keySet().stream().filter(v -> classPrefixes.stream().noneMatch(v::startsWith)))
                .as("the README's other rows").containsExactlyInAnyOrderElementsOf(elsewhere.keySet().stream()
                        .filter(v -> !v.startsWith("NOTIFIER_")).toList());
    }

    /** The defaults that live in PipelineSettings, TopicNames, application.yml (the port) and logback.xml (logging). */
    private static Map<String, String> defaultsOutsideTheSettingsClasses() throws IOException {
        Map<String, String> defaults = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", PipelineSettings.DEFAULT_BOOTSTRAP,
                "KAFKA_CLIENT_CONFIG", "",
                "SCHEMA_REGISTRY_URL", PipelineSettings.DEFAULT_REGISTRY,
                "SCHEMA_REGISTRY_USER_INFO", "",
                "NIGHTSHIFT_TOPICS_PREFIX", TopicNames.defaults().prefix(),
                "NIGHTSHIFT_TOPICS_INCIDENTS", TopicNames.defaults().incidents(),
                "NIGHTSHIFT_TOPICS_REMEDIATION_OUTCOMES", TopicNames.defaults().remediationOutcomes()));
        try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false).build()) {
            Environment environment = context.getEnvironment().start();
            defaults.put("NOTIFIER_PORT", environment.getProperty("micronaut.server.port", String.class).orElseThrow());
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
