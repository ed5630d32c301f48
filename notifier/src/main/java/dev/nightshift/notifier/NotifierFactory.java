package dev.nightshift.notifier;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.notifier.slack.LoggingSlackClient;
import dev.nightshift.notifier.slack.RetryingSlackClient;
import dev.nightshift.notifier.slack.SlackClient;
import dev.nightshift.notifier.slack.WebhookSlackClient;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/** Builds the notifier's parts from configuration. */
@Factory
public class NotifierFactory {
    @Singleton
    PipelineSettings pipelineSettings(Environment environment) {
        return PipelineSettings.from(key -> environment.getProperty(key, String.class).orElse(null));
    }

    /** @param time the retries' clock and waits: the system's unless a test registered its own */
    @Singleton
    SlackClient slackClient(NotifierConfig config, @Nullable RetryingSlackClient.Time time) {
        String url = config.getSlackWebhookUrl();
        if (url == null || url.isBlank()) {
            return new LoggingSlackClient();
        }
        return new RetryingSlackClient(WebhookSlackClient.of(url), config.getRetryBudget(), config.getRetryMaxWait(),
                time != null ? time : RetryingSlackClient.Time.SYSTEM);
    }

    @Singleton
    NotifierService notifierService(SlackClient slack) {
        return new NotifierService(slack, new NotificationFormatter());
    }
}
