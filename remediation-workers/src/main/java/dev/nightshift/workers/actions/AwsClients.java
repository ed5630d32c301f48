package dev.nightshift.workers.actions;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.wafv2.Wafv2Client;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.util.List;

/**
 * The AWS clients the actions use, all in one region over the JDK's HTTP client. Endpoints come from the SDK's
 * standard settings alone, never from here: {@code AWS_ENDPOINT_URL} for every service, or one service's
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code _ECS}, {@code _LAMBDA}, {@code _SSM}, {@code _EC2}, {@code _WAFV2},
 * {@code _CLOUDWATCH}, {@code _CLOUDTRAIL} (as system properties {@code aws.endpointUrl},
 * {@code aws.endpointUrlDynamoDb}, {@code aws.endpointUrlEcs}, {@code aws.endpointUrlLambda}, {@code aws.endpointUrlSsm},
 * {@code aws.endpointUrlEc2}, {@code aws.endpointUrlWafv2}, {@code aws.endpointUrlCloudWatch},
 * {@code aws.endpointUrlCloudTrail}), or {@code endpoint_url} in the shared config file; they are read when the
 * clients are built. The SDK never retries a call itself: the executor decides what is retried.
 */
public final class AwsClients implements SdkAutoCloseable {
    private final AwsCredentialsProvider credentials;
    private final boolean ownsCredentials;
    private final DynamoDbClient dynamoDb;
    private final EcsClient ecs;
    private final LambdaClient lambda;
    private final SsmClient ssm;
    private final Ec2Client ec2;
    private final Wafv2Client waf;
    private final CloudWatchClient cloudWatch;
    private final CloudTrailClient cloudTrail;

    private AwsClients(Region region, AwsCredentialsProvider credentials, boolean ownsCredentials) {
        this.credentials = credentials;
        this.ownsCredentials = ownsCredentials;
        this.dynamoDb = build(DynamoDbClient.builder(), region, credentials);
        this.ecs = build(EcsClient.builder(), region, credentials);
        this.lambda = build(LambdaClient.builder(), region, credentials);
        this.ssm = build(SsmClient.builder(), region, credentials);
        this.ec2 = build(Ec2Client.builder(), region, credentials);
        this.waf = build(Wafv2Client.builder(), region, credentials);
        this.cloudWatch = build(CloudWatchClient.builder(), region, credentials);
        this.cloudTrail = build(CloudTrailClient.builder(), region, credentials);
    }

    /** Clients in {@code region} (e.g. AWS_REGION), with credentials from the SDK's default chain. */
    public static AwsClients inRegion(String region) {
        return new AwsClients(Region.of(region), DefaultCredentialsProvider.builder().build(), true);
    }

    /** Clients in {@code region} with the given credentials (which the caller closes). */
    public static AwsClients inRegion(String region, AwsCredentialsProvider credentials) {
        return new AwsClients(Region.of(region), credentials, false);
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, Region region, AwsCredentialsProvider credentials) {
        return builder.region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public EcsClient ecs() {
        return ecs;
    }

    public LambdaClient lambda() {
        return lambda;
    }

    public SsmClient ssm() {
        return ssm;
    }

    public Ec2Client ec2() {
        return ec2;
    }

    public Wafv2Client waf() {
        return waf;
    }

    public CloudWatchClient cloudWatch() {
        return cloudWatch;
    }

    public CloudTrailClient cloudTrail() {
        return cloudTrail;
    }

    @Override
    public void close() {
        for (SdkAutoCloseable client : List.of(dynamoDb, ecs, lambda, ssm, ec2, waf, cloudWatch, cloudTrail)) {
            client.close();
        }
        if (ownsCredentials && credentials instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }
}
