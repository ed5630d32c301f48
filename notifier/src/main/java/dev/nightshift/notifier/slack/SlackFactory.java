package dev.nightshift.notifier.slack;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Builds the way the notifier reaches Slack from its settings: the app with a bot token, else the webhook, else the log. */
@Factory
public class SlackFactory {
    @Singleton
    SlackPacer slackPacer(SlackAppConfig config) {
        return new SlackPacer(config.getChannelRate(), config.getChannelBurst(), System::nanoTime);
    }

    @Singleton
    @Bean(preDestroy = "close")
    SlackDelivery slackDelivery(SlackAppConfig config, SlackPacer pacer) {
        String token = secret(config.getBotToken());
        if (SlackAppConfig.configured(token)) {
            return new AppSlackDelivery(SlackWebApi.of(config.getApiUrl(), token, pacer), pacer, new SlackMessages());
        }
        String webhook = secret(config.getWebhookUrl());
        if (SlackAppConfig.configured(webhook)) {
            return new WebhookSlackDelivery(WebhookSlackClient.of(webhook), pacer, new SlackMessages());
        }
        return new LoggingSlackDelivery(new SlackMessages());
    }

    /** A secret setting's value (the bot token, the webhook URL): the one place where it is read. */
    static String secret(String configured) {
        return configured;
    }
}
