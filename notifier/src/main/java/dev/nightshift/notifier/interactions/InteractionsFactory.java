package dev.nightshift.notifier.interactions;

import dev.nightshift.commands.OperatorCommands;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.notifier.secrets.Secrets;
import dev.nightshift.notifier.slack.SlackAppConfig;
import dev.nightshift.notifier.slack.SlackToken;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;

/** Builds the Slack interactions endpoint's service from configuration. */
@Factory
public class InteractionsFactory {
    private static final Logger LOG = LoggerFactory.getLogger(InteractionsFactory.class);

    /** The signing secret, the one place it is read (the value itself or a secret reference); blank when unset. */
    static String signingSecret(InteractionsConfig config, Secrets secrets) {
        String configured = config.getSigningSecret();
        return configured == null || configured.isBlank() ? "" : secrets.resolve("SLACK_SIGNING_SECRET", configured);
    }

    /** Built at start, so that a missing secret is said at once and the first press finds everything ready. */
    @Context
    @Bean(preDestroy = "close")
    SlackInteractions slackInteractions(InteractionsConfig config, SlackAppConfig slack, SlackToken token, Secrets secrets,
                                        PipelineSettings pipeline, MeterRegistry registry) {
        String secret = signingSecret(config, secrets);
        if (secret == null || secret.isBlank()) {
            LOG.warn("SLACK_SIGNING_SECRET is not set: every Slack button press is refused (401)");
        }
        if (!token.present()) {
            LOG.info("SLACK_BOT_TOKEN is not set: button presses are recorded under the Slack user id alone (no e-mail look-up)");
        }
        UserDirectory directory = token.present() ? new SlackUserDirectory(slack, token.value()) : UserDirectory.NONE;
        LOG.info("Slack interactions at POST /v1/slack/interactions ({}, {})", config, slack);
        return new SlackInteractions(new SlackSignatureVerifier(() -> secret, Clock.systemUTC()), new OperatorCommands(pipeline.topics()),
                producer(pipeline), directory, config.getOperators(), new InteractionMetrics(registry), Clock.systemUTC());
    }

    /**
     * The producer of the presses' records: it gives up on a record within the answer's budget rather than writing it
     * long after the person was told it failed (a record already on its way may still land: pressing again is harmless).
     */
    static Producer<byte[], byte[]> producer(PipelineSettings pipeline) {
        Map<String, Object> config = pipeline.kafka().producer("nightshift-notifier-interactions");
        int budget = (int) SlackInteractions.WRITE_TIMEOUT.toMillis();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, budget);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, budget);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, budget);
        return new KafkaProducer<>(config);
    }
}
