package dev.nightshift.notifier.slack;

import dev.nightshift.notifier.secrets.Secrets;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Builds the way the notifier reaches Slack from its settings: the app with a bot token, else the webhook, else the
 * log. The bot token and the webhook URL are read through {@link Secrets} (the value itself or a reference to AWS
 * Secrets Manager or Parameter Store), once, when the notifier starts.
 */
@Factory
public class SlackFactory {
    @Singleton
    SlackPacer slackPacer(SlackAppConfig config) {
        return new SlackPacer(config.getChannelRate(), config.getChannelBurst(), System::nanoTime);
    }

    /** The bot token, or empty without one: the one place it is read. */
    @Singleton
    SlackToken slackToken(SlackAppConfig config, Secrets secrets) {
        return new SlackToken(config.hasToken() ? secrets.resolve("SLACK_BOT_TOKEN", config.getBotToken()) : "");
    }

    @Singleton
    @Bean(preDestroy = "close")
    SlackDelivery slackDelivery(SlackAppConfig config, SlackToken token, SlackPacer pacer, Secrets secrets) {
        if (token.present()) {
            return new AppSlackDelivery(SlackWebApi.of(config, token.value(), pacer), pacer, new SlackMessages());
        }
        if (SlackAppConfig.configured(config.getWebhookUrl())) {
            String webhook = secrets.resolve("SLACK_WEBHOOK_URL", config.getWebhookUrl());
            return new WebhookSlackDelivery(WebhookSlackClient.of(webhook), pacer, new SlackMessages());
        }
        return new LoggingSlackDelivery(new SlackMessages());
    }
}
