package dev.nightshift.notifier;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.nightshift.notifier.slack.WebhookSlackClient;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** What reaches a local fake Slack webhook for a record, through the service and Slack's own client. */
class NotifierServiceTest {
    private static final String PATH = "/services/T000/B000/XXXXSECRET";
    private WireMockServer slack;
    private NotifierService service;

    @BeforeEach
    void start() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withBody("ok")));
        service = new NotifierService(WebhookSlackClient.of(slack.baseUrl() + PATH), new NotificationFormatter());
    }

    @AfterEach
    void stop() {
        slack.stop();
    }

    @Test
    void anAlertTitleWithSlackMarkupIsPostedAsInertText() {
        Incident hostile = Records.incident("inc-7", "opened", IncidentState.OPEN, 1);
        hostile.setTitle("<!channel> disk full <https://evil.example|click to fix>");

        service.handle(hostile);

        slack.verify(1, postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.text", equalTo(
                "[OPEN] &lt;!channel&gt; disk full &lt;https://evil.example|click to fix&gt; (HIGH, database) - opened, "
                        + "team payments, resource dynamodb:table/orders-eu, 1 occurrence, playbook dynamodb-throttling [incident inc-7]"))));
    }
}
