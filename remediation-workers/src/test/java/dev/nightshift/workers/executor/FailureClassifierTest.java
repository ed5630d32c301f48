package dev.nightshift.workers.executor;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failed calls a new request could make succeed (results.retryable), and how a failure is described in an outcome. */
class FailureClassifierTest {
    private static AwsServiceException aws(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " happened").build()).build();
    }

    @Test
    void throttlingAFailureOnAwssSideOrAnUnreachableAwsIsRetryable() {
        assertThat(FailureClassifier.retryable(aws(400, "ThrottlingException"))).isTrue();
        assertThat(FailureClassifier.retryable(aws(503, "ServiceUnavailable"))).isTrue();
        assertThat(FailureClassifier.retryable(SdkClientException.create("Unable to execute HTTP request: connect timed out"))).isTrue();
        assertThat(FailureClassifier.retryable(new UncheckedIOException(new IOException("connection reset")))).as("found in the causes").isTrue();
    }

    @Test
    void aRefusalOrABugOfOursIsNot() {
        assertThat(FailureClassifier.retryable(aws(400, "ValidationException"))).isFalse();
        assertThat(FailureClassifier.retryable(aws(403, "AccessDeniedException"))).isFalse();
        assertThat(FailureClassifier.retryable(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void aChangeIsRetryableOnlyWhenTheFailureShowsItWasNotMade() {
        assertThat(FailureClassifier.retryable(aws(400, "ThrottlingException"), true)).as("throttled: refused before it was served").isTrue();
        assertThat(FailureClassifier.retryable(aws(503, "ServiceUnavailable"), true)).isTrue();
        assertThat(FailureClassifier.retryable(SdkClientException.create("Unable to execute HTTP request", new ConnectException("Connection refused")), true))
                .as("never connected").isTrue();
        assertThat(FailureClassifier.retryable(SdkClientException.create("Unable to execute HTTP request", new SocketTimeoutException("connect timed out")), true))
                .isTrue();
        assertThat(FailureClassifier.retryable(aws(500, "InternalFailure"), true)).as("it may have been made").isFalse();
        assertThat(FailureClassifier.retryable(SdkClientException.create("Unable to execute HTTP request", new SocketTimeoutException("Read timed out")), true))
                .as("sent, no answer: it may have been made").isFalse();
        assertThat(FailureClassifier.retryable(aws(500, "InternalFailure"), false)).as("a read may always be made again").isTrue();
        assertThat(FailureClassifier.retryable(aws(400, "ValidationException"), true)).isFalse();
    }

    @Test
    void aFailureIsDescribedByAwssErrorCodeAndMessage() {
        assertThat(FailureClassifier.describe(aws(400, "ResourceNotFoundException"))).isEqualTo("ResourceNotFoundException: ResourceNotFoundException happened");
        assertThat(FailureClassifier.describe(new IllegalStateException("first line\nsecond line"))).isEqualTo("IllegalStateException: first line");
    }
}
