package dev.nightshift.notifier.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retries around Slack's own client posting to a local fake webhook, on a fake clock: nothing really waits. */
class RetryingSlackClientTest {
    private static final String PATH = "/services/T000/B000/XXXXSECRET";
    private static final Duration BUDGET = Duration.ofMinutes(2);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private final FakeTime time = new FakeTime();
    private WireMockServer slack;
    private RetryingSlackClient client;

    @BeforeEach
    void start() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        client = new RetryingSlackClient(WebhookSlackClient.of(slack.baseUrl() + PATH), BUDGET, MAX_WAIT, time);
    }

    @AfterEach
    void stop() {
        slack.stop();
    }

    @Test
    void aRateLimitedMessageIsPostedOnceAfterTheWaitSlackAskedFor() {
        slack.stubFor(post(PATH).inScenario("rate limit").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7").withBody("rate_limited"))
                .willSetStateTo("let through"));
        slack.stubFor(post(PATH).inScenario("rate limit").whenScenarioStateIs("let through")
                .willReturn(aResponse().withStatus(200).withBody("ok")));

        client.post(new SlackClient.Message(null, "[OPEN] orders-eu throttled"));

        assertThat(time.waits()).containsExactly(Duration.ofSeconds(7));
        assertThat(slack.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(2);
        assertThat(slack.getAllServeEvents()).filteredOn(e -> e.getResponse().getStatus() == 200).hasSize(1);
    }

    @Test
    void aRetryAfterLongerThanTheLongestWaitIsCutToIt() {
        slack.stubFor(post(PATH).inScenario("long rate limit").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "600"))
                .willSetStateTo("let through"));
        slack.stubFor(post(PATH).inScenario("long rate limit").whenScenarioStateIs("let through")
                .willReturn(aResponse().withStatus(200).withBody("ok")));

        client.post(new SlackClient.Message(null, "x"));

        assertThat(time.waits()).containsExactly(MAX_WAIT);
    }

    @Test
    void anUnreachableSlackIsTriedAgainAfterABackoff() {
        slack.stubFor(post(PATH).inScenario("reset").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("up"));
        slack.stubFor(post(PATH).inScenario("reset").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("ok")));

        client.post(new SlackClient.Message(null, "x"));

        assertThat(time.waits()).containsExactly(Duration.ofSeconds(1));
        assertThat(slack.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(2);
    }

    @Test
    void aRemovedWebhookIsRefusedAtOnceWithoutRetries() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(404).withBody("no_service")));

        assertThatThrownBy(() -> client.post(new SlackClient.Message(null, "x")))
                .isInstanceOfSatisfying(SlackException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("404");
        assertThat(slack.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(1);
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void anOutageLongerThanTheBudgetIsGivenUpWithinTheBudget() {
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(503).withBody("service_unavailable")));

        assertThatThrownBy(() -> client.post(new SlackClient.Message(null, "x")))
                .isInstanceOf(SlackException.class)
                .hasMessageContaining("retry budget 120 s")
                .hasMessageNotContaining("SECRET")
                .cause().hasMessageContaining("503");
        // 1 + 2 + 4 + 8 + 16 + 30 + 30 s; a further 30 s would end after the two minutes
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertThat(time.waited()).isLessThanOrEqualTo(BUDGET);
        assertThat(slack.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(time.waits().size() + 1);
    }
}
