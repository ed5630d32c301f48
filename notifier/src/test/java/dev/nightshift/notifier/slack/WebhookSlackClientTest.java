package dev.nightshift.notifier.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.slack.api.Slack;
import com.slack.api.webhook.Payload;
import dev.nightshift.notifier.LogCapture;
import dev.nightshift.notifier.delivery.DeliveryException;
import dev.nightshift.notifier.delivery.DeliveryFailures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Slack's own client posting to a local fake of an incoming webhook. */
class WebhookSlackClientTest {
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

    @Test
    void postsTheTextAsJson() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withBody("ok")));

        client.post("[OPEN] orders-eu throttled");

        slack.verify(postRequestedFor(urlEqualTo(PATH)).withRequestBody(equalToJson("{\"text\":\"[OPEN] orders-eu throttled\"}")));
    }

    @Test
    void rateLimitingIsRetryableWithSlacksWaitAndTheUrlIsNotInTheError() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "12").withBody("rate_limited")));

        assertThatThrownBy(() -> client.post("x"))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
                })
                .hasMessageContaining("429")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void aServerErrorIsRetryable() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> client.post("x"))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).isEmpty();
                });
    }

    @Test
    void aRemovedWebhookIsPermanent() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(404).withBody("no_service")));

        assertThatThrownBy(() -> client.post("x"))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void theWebhookUrlIsNotLoggedEvenAtDebug() throws Exception {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withBody("ok")));

        List<String> withSlackDefaults = LogCapture.atDebugDuring(() ->
                Slack.getInstance().send(slack.baseUrl() + PATH, Payload.builder().text("x").build()));
        List<String> ours = LogCapture.atDebugDuring(() -> client.post("[OPEN] orders-eu throttled"));

        assertThat(withSlackDefaults).as("the capture sees what Slack's default client logs").anyMatch(line -> line.contains("XXXXSECRET"));
        assertThat(ours).noneMatch(line -> line.contains("XXXXSECRET") || line.contains("B000"));
        slack.verify(2, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void anAnsweredRefusalPostedNothing() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(503)));

        assertThat(DeliveryFailures.nothingMade(catchThrowable(() -> client.post("x")))).isTrue();
    }
}
