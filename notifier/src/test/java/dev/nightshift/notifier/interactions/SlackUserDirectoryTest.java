package dev.nightshift.notifier.interactions;

import dev.nightshift.notifier.slack.SlackAppConfig;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Slack's own Java client against a local fake of the Web API's users.info, which checks the token and the user asked for. */
class SlackUserDirectoryTest {
    private static final String TOKEN = "xoxb-test-bot-token";
    private WireMockServer slack;
    private SlackUserDirectory directory;

    @BeforeEach
    void start() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        directory = new SlackUserDirectory(SlackAppConfig.at(slack.baseUrl() + "/api/"), TOKEN);
    }

    @AfterEach
    void stop() {
        directory.close();
        slack.stop();
    }

    @Test
    void theEmailOfTheUserIsLookedUpWithTheBotToken() {
        slack.stubFor(post("/api/users.info").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(containing("user=U0AAA1"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"ok":true,"user":{"id":"U0AAA1","name":"sam","real_name":"Sam","profile":{"email":"sam@example.com","display_name":"sam"}}}
                        """)));

        assertThat(directory.emailOf("U0AAA1")).contains("sam@example.com");

        List<LoggedRequest> calls = slack.findAll(postRequestedFor(urlEqualTo("/api/users.info")));
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(call.getBodyAsString().split("&")).contains("user=U0AAA1");
        });
    }

    @Test
    void anAppWithoutTheEmailScopeOrAnUnknownUserGivesNoEmail() {
        slack.stubFor(post("/api/users.info").withRequestBody(containing("user=U0AAA1"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":true,\"user\":{\"id\":\"U0AAA1\",\"profile\":{\"display_name\":\"sam\"}}}")));
        slack.stubFor(post("/api/users.info").withRequestBody(containing("user=U0GONE"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":false,\"error\":\"user_not_found\"}")));

        assertThat(directory.emailOf("U0AAA1")).isEmpty();
        assertThat(directory.emailOf("U0GONE")).isEmpty();
    }

    @Test
    void aSlackThatFailsOrDoesNotAnswerInTimeGivesNoEmail() {
        slack.stubFor(post("/api/users.info").withRequestBody(containing("user=U0AAA1"))
                .willReturn(aResponse().withStatus(500).withBody("oops")));
        slack.stubFor(post("/api/users.info").withRequestBody(containing("user=U0SLOW"))
                .willReturn(aResponse().withStatus(200).withFixedDelay((int) SlackUserDirectory.CALL_TIMEOUT.toMillis() * 2)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"ok\":true,\"user\":{\"id\":\"U0SLOW\",\"profile\":{\"email\":\"slow@example.com\"}}}")));

        assertThat(directory.emailOf("U0AAA1")).isEmpty();
        assertThat(directory.emailOf("U0SLOW")).isEmpty();
    }
}
