package dev.nightshift.notifier.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.slack.api.Slack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Slack's own client posting to a local fake of an incoming webhook. */
class WebhookSlackClientTest {
    private static final String PATH = "/services/T000/B000/XXXXSECRET";
    private WireMockServer slack;
    private WebhookSlackClient client;

    @BeforeEach
    void start() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        client = new WebhookSlackClient(Slack.getInstance(), slack.baseUrl() + PATH);
    }

    @AfterEach
    void stop() {
        slack.stop();
    }

    @Test
    void postsTheTextAsJson() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withBody("ok")));

        client.post(new SlackClient.Message("#payments-oncall", "[OPEN] orders-eu throttled"));

        slack.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("{\"text\":\"[OPEN] orders-eu throttled\"}")));
    }

    @Test
    void rateLimitingIsRetryableAndTheUrlIsNotInTheError() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(429).withBody("rate_limited")));

        assertThatThrownBy(() -> client.post(new SlackClient.Message(null, "x")))
                .isInstanceOfSatisfying(SlackException.class, e -> org.assertj.core.api.Assertions.assertThat(e.retryable()).isTrue())
                .hasMessageContaining("429")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void aRemovedWebhookIsPermanent() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(404).withBody("no_service")));

        assertThatThrownBy(() -> client.post(new SlackClient.Message(null, "x")))
                .isInstanceOfSatisfying(SlackException.class, e -> org.assertj.core.api.Assertions.assertThat(e.retryable()).isFalse());
    }

    @Test
    void loggingClientTakesEveryMessage() {
        assertThatCode(() -> new LoggingSlackClient().post(new SlackClient.Message(null, "x"))).doesNotThrowAnyException();
    }
}
