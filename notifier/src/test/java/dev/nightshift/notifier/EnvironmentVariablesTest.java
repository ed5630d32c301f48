package dev.nightshift.notifier;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.notifier.slack.LoggingSlackClient;
import dev.nightshift.notifier.slack.SlackClient;
import dev.nightshift.notifier.slack.SlackWebhookConfig;
import dev.nightshift.notifier.slack.WebhookSlackClient;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notifier reads each environment variable the README documents, by that name, into its settings, through
 * Micronaut's own mapping of variables to properties ({@code NOTIFIER_GROUP_ID} is {@code notifier.group-id});
 * and without variables it uses its settings classes' defaults.
 */
class EnvironmentVariablesTest {
    @Test
    void everyVariableReachesItsSetting() {
        try (ApplicationContext context = withEnvironment(Map.of(
                "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T1/B1/secret",
                "NOTIFIER_GROUP_ID", "notifier-eu",
                "NOTIFIER_RETRY_BUDGET", "PT5M",
                "NOTIFIER_RETRY_MAX_WAIT", "PT1M",
                "NOTIFIER_PORT", "9084",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092",
                "SCHEMA_REGISTRY_URL", "http://registry:8081",
                "NIGHTSHIFT_TOPICS_PREFIX", "staging.",
                "NIGHTSHIFT_TOPICS_INCIDENTS", "staging.incident-changes"))) {
            NotifierConfig notifier = context.getBean(NotifierConfig.class);
            PipelineSettings pipeline = context.getBean(PipelineSettings.class);

            assertThat(context.getBean(SlackWebhookConfig.class).getUrl()).isEqualTo("https://hooks.slack.com/services/T1/B1/secret");
            assertThat(context.getBean(SlackClient.class)).isInstanceOf(WebhookSlackClient.class);
            assertThat(notifier.getGroupId()).isEqualTo("notifier-eu");
            assertThat(notifier.getRetryBudget()).isEqualTo(Duration.ofMinutes(5));
            assertThat(notifier.getRetryMaxWait()).isEqualTo(Duration.ofMinutes(1));
            assertThat(context.getProperty("micronaut.server.port", Integer.class)).contains(9084);
            assertThat(pipeline.kafka().bootstrapServers()).isEqualTo("kafka-1:9092");
            assertThat(pipeline.registry().url()).isEqualTo("http://registry:8081");
            assertThat(pipeline.topics().incidents().name()).isEqualTo("staging.incident-changes");
            assertThat(pipeline.topics().remediationOutcomes().name()).isEqualTo("staging.remediation.outcomes");
        }
    }

    @Test
    void durationsWrittenTheOldWayAreReadToo() {
        try (ApplicationContext context = withEnvironment(Map.of("NOTIFIER_RETRY_BUDGET", "3m", "NOTIFIER_RETRY_MAX_WAIT", "20s"))) {
            NotifierConfig notifier = context.getBean(NotifierConfig.class);

            assertThat(notifier.getRetryBudget()).isEqualTo(Duration.ofMinutes(3));
            assertThat(notifier.getRetryMaxWait()).isEqualTo(Duration.ofSeconds(20));
        }
    }

    @Test
    void withoutVariablesTheNotifierUsesItsSettingsClassesDefaults() {
        try (ApplicationContext context = withEnvironment(Map.of())) {
            PipelineSettings pipeline = context.getBean(PipelineSettings.class);

            assertThat(context.getBean(NotifierConfig.class)).usingRecursiveComparison().isEqualTo(new NotifierConfig());
            assertThat(context.getBean(SlackWebhookConfig.class).configured()).isFalse();
            assertThat(context.getBean(SlackClient.class)).as("no Slack: messages are logged").isInstanceOf(LoggingSlackClient.class);
            assertThat(context.getProperty("micronaut.server.port", Integer.class)).contains(8084);
            assertThat(pipeline.kafka().bootstrapServers()).isEqualTo(PipelineSettings.DEFAULT_BOOTSTRAP);
            assertThat(pipeline.registry().url()).isEqualTo(PipelineSettings.DEFAULT_REGISTRY);
            assertThat(pipeline.topics().incidents().name()).isEqualTo("incidents");
        }
    }

    /** The notifier's context with these environment variables and no others (this JVM's own are left out). */
    static ApplicationContext withEnvironment(Map<String, String> variables) {
        PropertySource environment = new MapPropertySource("environment variables", variables) {
            @Override
            public PropertyConvention getConvention() {
                return PropertyConvention.ENVIRONMENT_VARIABLE;
            }
        };
        // The health monitor would schedule its first check after this short-lived context has closed.
        return ApplicationContext.builder().environmentPropertySource(false).propertySources(environment)
                .properties(Map.of("micronaut.health.monitor.enabled", false)).start();
    }
}
