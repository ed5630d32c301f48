package dev.nightshift.notifier.secrets;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where secret references are read ({@code AWS_REGION} is {@code aws.region}); the default below is the only one.
 * {@code region} (AWS_REGION, default empty): the region of the Secrets Manager and Parameter Store calls; empty
 * leaves it to the AWS SDK's own chain (the {@code aws.region} system property, the profile, the instance's metadata).
 * Endpoints are the SDK's own settings, read by the SDK: {@code AWS_ENDPOINT_URL} for every service, or
 * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} and {@code AWS_ENDPOINT_URL_SSM} for one. Credentials come from the SDK's
 * default chain, never from here.
 */
@ConfigurationProperties("aws")
public class SecretsConfig {
    private String region = "";

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region == null ? "" : region.trim();
    }
}
