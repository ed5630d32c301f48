package dev.nightshift.ingest.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The default patterns that decide which certificate and SubscribeURL addresses may be fetched. */
class SnsUrlPatternsTest {
    private static final Pattern CERTIFICATE = Pattern.compile(SnsConfig.AWS_CERT_URL_PATTERN);
    private static final Pattern SUBSCRIBE = Pattern.compile(SnsConfig.AWS_SUBSCRIBE_URL_PATTERN);

    @ParameterizedTest
    @ValueSource(strings = {
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem",
            "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem"})
    void awsCertificateAddressesAreAllowed(String url) {
        assertThat(CERTIFICATE.matcher(url).matches()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem",
            "https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-abc.pem",
            "https://sns.us-east-1.amazonaws.com@evil.example/SimpleNotificationService-abc.pem",
            "https://evil.example/sns.us-east-1.amazonaws.com/x.pem",
            "https://sns.us-east-1.evil.amazonaws.com/x.pem",
            "https://sns.us-east-1.amazonaws.com/x.pem?redirect=https://evil.example/x.pem",
            "https://sns.us-east-1.amazonaws.com/x.pem#evil",
            "https://sns.us-east-1.amazonaws.com/cert.txt"})
    void hostileCertificateAddressesAreRefused(String url) {
        assertThat(CERTIFICATE.matcher(url).matches()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn&Token=t",
            "https://sns.us-east-1.amazonaws.com.evil.example/?Action=ConfirmSubscription",
            "https://sns.us-east-1.amazonaws.com@evil.example/?Action=ConfirmSubscription",
            "https://evil.example/?Action=ConfirmSubscription"})
    void hostileSubscribeAddressesAreRefused(String url) {
        assertThat(SUBSCRIBE.matcher(url).matches()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:123456789012:alarms&Token=t"})
    void awsSubscribeAddressesAreAllowed(String url) {
        assertThat(SUBSCRIBE.matcher(url).matches()).isTrue();
    }
}
