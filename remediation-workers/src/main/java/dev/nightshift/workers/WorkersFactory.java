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
    DynamoDbClient dynamoDb(AwsConfig aws) {
        return build(DynamoDbClient.builder(), aws);
    }

    @Singleton
    @Bean(preDestroy = "close")
    EcsClient ecs(AwsConfig aws) {
        return build(EcsClient.builder(), aws);
    }

    @Singleton
    @Bean(preDestroy = "close")
    SsmClient ssm(AwsConfig aws) {
        return build(SsmClient.builder(), aws);
    }

    @Singleton
    @Bean(preDestroy = "close")
    Wafv2Client waf(AwsConfig aws) {
        return build(Wafv2Client.builder(), aws);
    }

    @Singleton
    RemediationService remediationService(DynamoDbClient dynamo, EcsClient ecs, SsmClient ssm, Wafv2Client waf, WorkersConfig config,
                                          AwsConfig aws) {
        List<RemediationAction> actions = List.of(new DynamoDbScaleAction(dynamo), new EcsForceDeploymentAction(ecs),
                new SsmRunbookAction(ssm), new WafBlockIpAction(waf));
        return new RemediationService(actions, config, aws.getRegion(), Clock.systemUTC(), 100_000);
    }

    /**
     * A client in the configured region (and at the endpoint override, if any) over the JDK's HTTP client. The SDK
     * does not retry a call itself: a failed call is retried by the action consumer's retry policy, off the poll thread.
     */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, AwsConfig aws) {
        builder.region(Region.of(aws.getRegion())).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (aws.getEndpointUrl() != null && !aws.getEndpointUrl().isBlank()) {
            builder.endpointOverride(URI.create(aws.getEndpointUrl()));
        }
        return builder.build();
    }
}
