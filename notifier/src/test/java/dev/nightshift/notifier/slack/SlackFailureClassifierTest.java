package dev.nightshift.notifier.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What Slack's answers (from a local fake of an incoming webhook, through Slack's own client) mean for a retry. */
class SlackFailureClassifierTest {
    private static final String PATH = "/services/T000/B000/XXXXSECRET";
    private WireMockServer slack;
    private WebhookSlackClient client;

    @BeforeEach
    void start() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        client = WebhookSlackClient.of(slack.baseUrl() + PATH);
    }

    @AfterEach
    void stop() {
        slack.stop();
    }

    private Throwable postFails() {
        return catchThrowable(() -> client.post(new SlackClient.Message(null, "[OPEN] orders-eu throttled")));
    }

    @Test
    void aRateLimitIsRetryableAfterTheWaitSlackAskedFor() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7").withBody("rate_limited")));

        Throwable failure = postFails();
        assertThat(SlackFailureClassifier.retryable(failure)).isTrue();
        assertThat(SlackFailureClassifier.requestedWait(failure)).contains(Duration.ofSeconds(7));
    }

    @Test
    void aServerErrorOrAnUnreachableSlackIsRetryableWithoutARequestedWait() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(503).withBody("service_unavailable")));
        Throwable serverError = postFails();
        slack.stubFor(post(PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Throwable unreachable = postFails();

        assertThat(SlackFailureClassifier.retryable(serverError)).isTrue();
        assertThat(SlackFailureClassifier.requestedWait(serverError)).isEmpty();
        assertThat(SlackFailureClassifier.retryable(unreachable)).isTrue();
    }

    @Test
    void aRemovedWebhookOrAnythingThatIsNotSlacksAnswerIsPermanent() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(404).withBody("no_service")));

        assertThat(SlackFailureClassifier.retryable(postFails())).isFalse();
        assertThat(SlackFailureClassifier.retryable(new IllegalStateException("a bug of ours"))).isFalse();
        assertThat(SlackFailureClassifier.retryable(new RuntimeException("wrapped", new SlackException("HTTP 503", true, null))))
                .as("found in the causes").isTrue();
    }
}
