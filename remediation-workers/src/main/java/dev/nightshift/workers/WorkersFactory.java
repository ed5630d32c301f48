package dev.nightshift.workers;

import dev.nightshift.kafka.ConsumerHealthIndicator;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.workers.action.DynamoDbScaleAction;
import dev.nightshift.workers.action.EcsForceDeploymentAction;
import dev.nightshift.workers.action.RemediationAction;
import dev.nightshift.workers.action.SsmRunbookAction;
import dev.nightshift.workers.action.WafBlockIpAction;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.wafv2.Wafv2Client;

import java.net.URI;
import java.time.Clock;
import java.util.List;

/** Builds the workers' parts from configuration: the pipeline settings, the AWS clients, the actions and the readiness check. */
@Factory
public class WorkersFactory {
    @Singleton
    PipelineSettings pipelineSettings(Environment environment) {
        return PipelineSettings.from(key -> environment.getProperty(key, String.class).orElse(null));
    }

    /** 503 on /health and /health/readiness until the action consumer has joined its group and has its assignment. */
    @Singleton
    @Readiness
    HealthIndicator actionConsumerReadiness(ActionConsumer consumer) {
        return new ConsumerHealthIndicator(consumer.loop());
    }

    @Singleton
    @Bean(preDestroy = "close")
    DynamoDbClient dynamoDb(WorkersConfig config) {
        return build(DynamoDbClient.builder(), config);
    }

    @Singleton
    @Bean(preDestroy = "close")
    EcsClient ecs(WorkersConfig config) {
        return build(EcsClient.builder(), config);
    }

    @Singleton
    @Bean(preDestroy = "close")
    SsmClient ssm(WorkersConfig config) {
        return build(SsmClient.builder(), config);
    }

    @Singleton
    @Bean(preDestroy = "close")
    Wafv2Client waf(WorkersConfig config) {
        return build(Wafv2Client.builder(), config);
    }

    @Singleton
    RemediationService remediationService(DynamoDbClient dynamo, EcsClient ecs, SsmClient ssm, Wafv2Client waf, WorkersConfig config) {
        List<RemediationAction> actions = List.of(new DynamoDbScaleAction(dynamo), new EcsForceDeploymentAction(ecs),
                new SsmRunbookAction(ssm), new WafBlockIpAction(waf));
        return new RemediationService(actions, config, Clock.systemUTC(), 100_000);
    }

    /**
     * A client in the configured region (and at the endpoint override, if any) over the JDK's HTTP client. The SDK
     * does not retry a call itself: a failed call is retried by the action consumer's retry policy, off the poll thread.
     */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, WorkersConfig config) {
        builder.region(Region.of(config.getAwsRegion())).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (config.getAwsEndpoint() != null && !config.getAwsEndpoint().isBlank()) {
            builder.endpointOverride(URI.create(config.getAwsEndpoint()));
        }
        return builder.build();
    }
}
