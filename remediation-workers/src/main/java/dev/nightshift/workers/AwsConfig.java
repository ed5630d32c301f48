package dev.nightshift.workers;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the workers' AWS clients act, from the SDK's standard variables ({@code AWS_REGION} is
 * {@code aws.region}); the defaults below are the only ones.
 * {@code region} (AWS_REGION, default us-east-1): the one region the workers act in.
 * The endpoints are the SDK's own settings, read by the SDK: {@code AWS_ENDPOINT_URL} for every client and
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_ECS}, ... for one service (a local stand-in, say).
 * Credentials come from the SDK's default chain, never from here.
 */
@ConfigurationProperties("aws")
public class AwsConfig {
    private String region = "us-east-1";

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }
}
