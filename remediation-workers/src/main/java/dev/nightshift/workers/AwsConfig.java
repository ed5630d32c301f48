package dev.nightshift.workers;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the workers' AWS clients act, from the SDK's standard variables ({@code AWS_REGION} is
 * {@code aws.region}); the defaults below are the only ones.
 * {@code region} (AWS_REGION, default us-east-1): the one region the workers act in.
 * {@code endpoint-url} (AWS_ENDPOINT_URL): an endpoint override for every client, e.g. a local stand-in for DynamoDB.
 * Credentials come from the SDK's default chain, never from here.
 */
@ConfigurationProperties("aws")
public class AwsConfig {
    private String region = "us-east-1";
    private String endpointUrl;

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getEndpointUrl() {
        return endpointUrl;
    }

    public void setEndpointUrl(String endpointUrl) {
        this.endpointUrl = endpointUrl;
    }
}
