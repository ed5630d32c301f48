package dev.nightshift.notifier;

import dev.nightshift.kafka.ConsumerHealthIndicator;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.notifier.slack.LoggingSlackClient;
import dev.nightshift.notifier.slack.SlackClient;
import dev.nightshift.notifier.slack.SlackWebhookConfig;
import dev.nightshift.notifier.slack.WebhookSlackClient;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

/** Builds the notifier's parts from configuration, and its readiness check. */
@Factory
public class NotifierFactory {
    @Singleton
    PipelineSettings pipelineSettings(Environment environment) {
        return PipelineSettings.from(key -> environment.getProperty(key, String.class).orElse(null));
    }

    /** 503 on /health and /health/readiness until the notification consumer has joined its group and has its assignment. */
    @Singleton
    @Readiness
    HealthIndicator notificationConsumerReadiness(NotificationConsumer consumer) {
        return new ConsumerHealthIndicator(consumer.loop());
    }

    /** Slack's client without retries of its own: the notification consumer's retry policy retries a post. */
    @Singleton
    SlackClient slackClient(SlackWebhookConfig webhook) {
        return webhook.configured() ? WebhookSlackClient.of(webhook.getUrl()) : new LoggingSlackClient();
    }

    @Singleton
    NotifierService notifierService(SlackClient slack) {
        return new NotifierService(slack, new NotificationFormatter());
    }
}
