package dev.nightshift.notifier;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.notifier.delivery.DeliveryConfig;
import dev.nightshift.notifier.jira.JiraConfig;
import dev.nightshift.notifier.planner.PlannerConfig;
import dev.nightshift.notifier.slack.AppSlackDelivery;
import dev.nightshift.notifier.slack.LoggingSlackDelivery;
import dev.nightshift.notifier.slack.SlackAppConfig;
import dev.nightshift.notifier.slack.SlackDelivery;
import dev.nightshift.notifier.slack.WebhookSlackDelivery;
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
        try (ApplicationContext context = withEnvironment(Map.ofEntries(
                Map.entry("SLACK_BOT_TOKEN", "xoxb-1-secret"),
                Map.entry("SLACK_API_URL", "http://slack.internal/api/"),
                Map.entry("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T1/B1/secret"),
                Map.entry("SLACK_CHANNEL_RATE", "0.5"),
                Map.entry("SLACK_CHANNEL_BURST", "2"),
                Map.entry("SLACK_DEFAULT_CHANNEL", "#ops"),
                Map.entry("JIRA_DEFAULT_PROJECT", "OPS"),
                Map.entry("NOTIFIER_GROUP_WINDOW", "PT1M"),
                Map.entry("NOTIFIER_GROUP_ID", "notifier-eu"),
                Map.entry("NOTIFIER_GROUP_INSTANCE_ID", "notifier-1"),
                Map.entry("NOTIFIER_DELIVERY_THREADS", "6"),
                Map.entry("NOTIFIER_RETRY_BUDGET", "PT5M"),
                Map.entry("NOTIFIER_RETRY_MAX_WAIT", "PT1M"),
                Map.entry("NOTIFIER_PORT", "9084"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "localhost:19092"),
                Map.entry("SCHEMA_REGISTRY_URL", "http://registry:8081"),
                Map.entry("NIGHTSHIFT_TOPICS_PREFIX", "staging."),
                Map.entry("NIGHTSHIFT_TOPICS_NOTIFICATIONS_OUTBOX", "staging.to-tell")))) {
            DeliveryConfig delivery = context.getBean(DeliveryConfig.class);
            SlackAppConfig slack = context.getBean(SlackAppConfig.class);
            PipelineSettings pipeline = context.getBean(PipelineSettings.class);

            assertThat(slack.getBotToken()).isEqualTo("xoxb-1-secret");
            assertThat(slack.getApiUrl()).isEqualTo("http://slack.internal/api/");
            assertThat(slack.getWebhookUrl()).isEqualTo("https://hooks.slack.com/services/T1/B1/secret");
            assertThat(slack.getChannelRate()).isEqualTo(0.5);
            assertThat(slack.getChannelBurst()).isEqualTo(2);
            assertThat(slack.getDefaultChannel()).isEqualTo("#ops");
            assertThat(context.getBean(JiraConfig.class).getDefaultProject()).isEqualTo("OPS");
            assertThat(context.getBean(PlannerConfig.class).getGroupWindow()).isEqualTo(Duration.ofMinutes(1));
            assertThat(slack.toString()).doesNotContain("secret");
            assertThat(context.getBean(SlackDelivery.class)).as("the app when it has a token").isInstanceOf(AppSlackDelivery.class);
            assertThat(delivery.getGroupId()).isEqualTo("notifier-eu");
            assertThat(delivery.getGroupInstanceId()).isEqualTo("notifier-1");
            assertThat(delivery.getDeliveryThreads()).isEqualTo(6);
            assertThat(delivery.getRetryBudget()).isEqualTo(Duration.ofMinutes(5));
            assertThat(delivery.getRetryMaxWait()).isEqualTo(Duration.ofMinutes(1));
            assertThat(context.getProperty("micronaut.server.port", Integer.class)).contains(9084);
            assertThat(pipeline.kafka().bootstrapServers()).isEqualTo("localhost:19092");
            assertThat(pipeline.registry().url()).isEqualTo("http://registry:8081");
            assertThat(pipeline.topics().notificationsOutbox().name()).isEqualTo("staging.to-tell");
            assertThat(pipeline.topics().notificationsLedger().name()).isEqualTo("staging.notifications.ledger");
        }
    }

    @Test
    void aWebhookWithoutATokenPostsLines() {
        try (ApplicationContext context = withEnvironment(Map.of("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T1/B1/secret"))) {
            assertThat(context.getBean(SlackDelivery.class)).isInstanceOf(WebhookSlackDelivery.class);
        }
    }

    @Test
    void durationsWrittenTheOldWayAreReadToo() {
        try (ApplicationContext context = withEnvironment(Map.of("NOTIFIER_RETRY_BUDGET", "3m", "NOTIFIER_RETRY_MAX_WAIT", "20s"))) {
            DeliveryConfig delivery = context.getBean(DeliveryConfig.class);

            assertThat(delivery.getRetryBudget()).isEqualTo(Duration.ofMinutes(3));
            assertThat(delivery.getRetryMaxWait()).isEqualTo(Duration.ofSeconds(20));
        }
    }

    @Test
    void withoutVariablesTheNotifierUsesItsSettingsClassesDefaults() {
        try (ApplicationContext context = withEnvironment(Map.of())) {
            PipelineSettings pipeline = context.getBean(PipelineSettings.class);

            assertThat(context.getBean(DeliveryConfig.class)).usingRecursiveComparison().isEqualTo(new DeliveryConfig());
            assertThat(context.getBean(SlackAppConfig.class)).usingRecursiveComparison().isEqualTo(new SlackAppConfig());
            assertThat(context.getBean(SlackDelivery.class)).as("no Slack: messages are logged").isInstanceOf(LoggingSlackDelivery.class);
            assertThat(context.getProperty("micronaut.server.port", Integer.class)).contains(8084);
            assertThat(pipeline.kafka().bootstrapServers()).isEqualTo(PipelineSettings.DEFAULT_BOOTSTRAP);
            assertThat(pipeline.registry().url()).isEqualTo(PipelineSettings.DEFAULT_REGISTRY);
            assertThat(pipeline.topics().notificationsOutbox().name()).isEqualTo("notifications.outbox");
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
