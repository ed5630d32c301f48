package dev.nightshift.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Amazon SNS deliveries to {@code /v1/alerts/cloudwatch} ({@code nightshift.ingest.sns}). Every
 * message's signature is verified against a certificate fetched only from a URL that matches
 * {@code signing-cert-url-pattern}; subscriptions (and notifications) are taken only from topics on
 * the allowlist.
 */
@ConfigurationProperties("nightshift.ingest.sns")
public class SnsConfig {
    /** AWS's SNS endpoints, over HTTPS only: {@code https://sns.<region>.amazonaws.com[.cn]/...pem}. */
    public static final String AWS_CERT_URL_PATTERN = "^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[^?#]*\\.pem$";
    public static final String AWS_SUBSCRIBE_URL_PATTERN = "^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/.*$";

    /**
     * Topic ARNs whose subscriptions are confirmed and whose notifications are taken; {@code *} in an
     * entry matches any run of characters (e.g. {@code arn:aws:sns:*:123456789012:alarms-*}).
     * Default: none, so nothing from SNS is taken until topics are listed.
     */
    private List<String> topicArnAllowlist = new ArrayList<>();
    /** Regular expression the whole SigningCertURL must match. */
    private String signingCertUrlPattern = AWS_CERT_URL_PATTERN;
    /** Regular expression the whole SubscribeURL must match before it is visited. */
    private String subscribeUrlPattern = AWS_SUBSCRIBE_URL_PATTERN;
    /** How many signing certificates are kept in memory. */
    private int certCacheSize = 32;
    /** How long a fetched certificate is kept. */
    private Duration certCacheTtl = Duration.ofHours(12);
    /** How old a message's signed Timestamp may be; older messages are refused as replays. */
    private Duration maxMessageAge = Duration.ofHours(1);
    /** Timeout for fetching a certificate or visiting a SubscribeURL. */
    private Duration httpTimeout = Duration.ofSeconds(5);

    public List<String> getTopicArnAllowlist() {
        return topicArnAllowlist;
    }

    public void setTopicArnAllowlist(List<String> topicArnAllowlist) {
        this.topicArnAllowlist = topicArnAllowlist;
    }

    public String getSigningCertUrlPattern() {
        return signingCertUrlPattern;
    }

    public void setSigningCertUrlPattern(String signingCertUrlPattern) {
        this.signingCertUrlPattern = signingCertUrlPattern;
    }

    public String getSubscribeUrlPattern() {
        return subscribeUrlPattern;
    }

    public void setSubscribeUrlPattern(String subscribeUrlPattern) {
        this.subscribeUrlPattern = subscribeUrlPattern;
    }

    public int getCertCacheSize() {
        return certCacheSize;
    }

    public void setCertCacheSize(int certCacheSize) {
        this.certCacheSize = certCacheSize;
    }

    public Duration getCertCacheTtl() {
        return certCacheTtl;
    }

    public void setCertCacheTtl(Duration certCacheTtl) {
        this.certCacheTtl = certCacheTtl;
    }

    public Duration getMaxMessageAge() {
        return maxMessageAge;
    }

    public void setMaxMessageAge(Duration maxMessageAge) {
        this.maxMessageAge = maxMessageAge;
    }

    public Duration getHttpTimeout() {
        return httpTimeout;
    }

    public void setHttpTimeout(Duration httpTimeout) {
        this.httpTimeout = httpTimeout;
    }
}
