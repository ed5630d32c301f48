package dev.nightshift.notifier;

import com.slack.api.Slack;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.notifier.slack.LoggingSlackClient;
import dev.nightshift.notifier.slack.SlackClient;
import dev.nightshift.notifier.slack.WebhookSlackClient;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

/** Builds the notifier's parts from configuration. */
@Factory
public class NotifierFactory {
    @Singleton
    PipelineSettings pipelineSettings(Environment environment) {
        return PipelineSettings.from(key -> environment.getProperty(key, String.class).orElse(null));
    }

    @Singleton
    SlackClient slackClient(NotifierConfig config) {
        String url = config.getSlackWebhookUrl();
        return url == null || url.isBlank() ? new LoggingSlackClient() : new WebhookSlackClient(Slack.getInstance(), url);
    }

    @Singleton
    NotifierService notifierService(SlackClient slack) {
        return new NotifierService(slack, new NotificationFormatter());
    }
}
