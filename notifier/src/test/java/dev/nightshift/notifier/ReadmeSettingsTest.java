package dev.nightshift.notifier;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.notifier.delivery.DeliveryConfig;
import dev.nightshift.notifier.interactions.InteractionsConfig;
import dev.nightshift.notifier.jira.JiraConfig;
import dev.nightshift.notifier.paging.PagerDutyConfig;
import dev.nightshift.notifier.planner.PlannerConfig;
import dev.nightshift.notifier.secrets.SecretsConfig;
import dev.nightshift.notifier.slack.SlackAppConfig;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's settings table and the code's defaults agree, both ways: no setting undocumented, no row without its
 * setting. Several settings classes share a prefix (each part of the notifier has its own): a row belongs to whichever
 * class has it.
 */
class ReadmeSettingsTest {
    private static final Path README = Path.of("README.md");

    /** Each part's settings class, with its variables' prefix. */
    private static final List<Map.Entry<Object, String>> SETTINGS = List.of(
            Map.entry(new DeliveryConfig(), "NOTIFIER_"),
            Map.entry(new PlannerConfig(), "NOTIFIER_"),
            Map.entry(new SlackAppConfig(), "SLACK_"),
            Map.entry(new InteractionsConfig(), "SLACK_"),
            Map.entry(new JiraConfig(), "JIRA_"),
            Map.entry(new PagerDutyConfig(), "PAGERDUTY_"),
            Map.entry(new SecretsConfig(), "AWS_"));

    /** Defaults the README shows in words because they depend on the machine. */
    private static final Map<String, String> SHOWN_AS = Map.of(
            PlannerConfig.DEFAULT_STATE_DIR, "<java.io.tmpdir>/nightshift-notifier-planner");

    @Test
    void theSettingsTableHasEverySettingWithTheCodesDefaultAndNoOther() throws IOException {
        Map<String, String> elsewhere = defaultsOutsideTheSettingsClasses();
        Map<String, String> documented = SettingsTable.read(README);
        List<String> problems = new ArrayList<>();
        Set<String> known = new HashSet<>(elsewhere.keySet());
        for (Map.Entry<Object, String> settings : SETTINGS) {
            SettingsTable.properties(settings.getKey()).keySet().forEach(p -> known.add(SettingsTable.variable(settings.getValue(), p)));
            SettingsTable.disagreements(README, settings.getKey(), settings.getValue(), Map.of(), Map.of(), SHOWN_AS).stream()
                    .filter(problem -> !problem.contains(" but is not a setting of "))
                    .forEach(problems::add);
        }
        elsewhere.forEach((variable, value) -> {
            if (!value.equals(documented.get(variable))) {
                problems.add(variable + ": " + README + " says '" + documented.get(variable) + "', the code's default is '" + value + "'");
            }
        });
        documented.keySet().stream().filter(variable -> !known.contains(variable))
                .forEach(variable -> problems.add(variable + " is in " + README + " but is no setting of the notifier"));
        assertThat(problems).isEmpty();
    }

    /** The defaults that live in PipelineSettings, TopicNames, application.yml (the port) and logback.xml (logging). */
    private static Map<String, String> defaultsOutsideTheSettingsClasses() throws IOException {
        TopicNames topics = TopicNames.defaults();
        Map<String, String> defaults = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", PipelineSettings.DEFAULT_BOOTSTRAP,
                "KAFKA_CLIENT_CONFIG", "",
                "SCHEMA_REGISTRY_URL", PipelineSettings.DEFAULT_REGISTRY,
                "SCHEMA_REGISTRY_USER_INFO", "",
                "NIGHTSHIFT_TOPICS_PREFIX", topics.prefix(),
                "NIGHTSHIFT_TOPICS_NOTIFICATIONS_OUTBOX", topics.notificationsOutbox(),
                "NIGHTSHIFT_TOPICS_NOTIFICATIONS_LEDGER", topics.notificationsLedger(),
                "NIGHTSHIFT_TOPICS_NOTIFICATIONS_DELIVERIES", topics.notificationsDeliveries()));
        defaults.put("NIGHTSHIFT_TOPICS_INCIDENTS", topics.incidents());
        defaults.put("NIGHTSHIFT_TOPICS_REMEDIATION_OUTCOMES", topics.remediationOutcomes());
        // The AWS SDK's own setting, read by the SDK: documented, with no default of ours.
        defaults.put("AWS_ENDPOINT_URL", "");
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
