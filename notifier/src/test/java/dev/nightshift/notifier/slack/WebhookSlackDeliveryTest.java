package dev.nightshift.notifier.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.notifier.Records;
import dev.nightshift.notifier.delivery.Action;
import dev.nightshift.notifier.delivery.LedgerView;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.nightshift.notifier.Records.incident;
import static org.assertj.core.api.Assertions.assertThat;

/** For teams without the app: the parent and replies as lines on an incoming webhook (a local fake), no edits, no channels. */
class WebhookSlackDeliveryTest {
    private static final String PATH = "/services/T000/B000/XXXXSECRET";
    private static final LedgerView NOTHING = id -> Optional.empty();
    private WireMockServer slack;
    private WebhookSlackDelivery delivery;

    @BeforeEach
    void start() {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        slack.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withBody("ok")));
        delivery = new WebhookSlackDelivery(WebhookSlackClient.of(slack.baseUrl() + PATH), new SlackPacer(100, 10, System::nanoTime), new SlackMessages());
    }

    @AfterEach
    void stop() throws Exception {
        delivery.close();
        slack.stop();
    }

    @Test
    void theParentAndItsRepliesArePostedAsLinesInOrder() {
        Notification thread = Records.thread("k1", incident("inc-1", "opened", IncidentState.OPEN, 1));
        Notification reply = Records.notification("inc-1:step:r1", "k1", NotificationTarget.SLACK, NotificationKind.REPLY, "step",
                incident("inc-1", "opened", IncidentState.OPEN, 1)).setOutcome(Records.outcome("inc-1")).build();

        for (Notification n : List.of(thread, reply)) {
            Action action = delivery.plan(n, NOTHING);
            assertThat(action).isInstanceOfSatisfying(Action.Create.class, create -> {
                assertThat(create.find()).as("a webhook cannot be searched").isNull();
                create.make().call();
            });
        }

        assertThat(slack.findAll(postRequestedFor(urlEqualTo(PATH)))).extracting(LoggedRequest::getBodyAsString).containsExactly(
                "{\"text\":\"[OPEN] Throttled reads on orders-eu (HIGH, database) - team payments, resource dynamodb:table/orders-eu, "
                        + "1 occurrence, playbook dynamodb-throttling [incident inc-1]\"}",
                "{\"text\":\"[inc-1] step 1 dynamodb-scale: PLANNED - dry-run: would raise the provisioned capacity of DynamoDB table orders-eu by x2\"}");
    }

    @Test
    void anUpdateOfTheParentAndAnIncidentChannelAreNotPostedAndSaySo() {
        Notification update = Records.notification("thread:k1:u:inc-1:2", "k1", NotificationTarget.SLACK, NotificationKind.THREAD_UPDATE,
                "acknowledged", incident("inc-1", "acknowledged", IncidentState.ACKNOWLEDGED, 1)).build();
        Notification channel = Records.notification("channel:inc-1", "k1", NotificationTarget.SLACK, NotificationKind.INCIDENT_CHANNEL,
                "opened", incident("inc-1", "opened", IncidentState.OPEN, 1)).build();

        assertThat(delivery.plan(update, NOTHING)).isEqualTo(new Action.Skip("webhook", "an incoming webhook cannot edit a message"));
        assertThat(delivery.plan(channel, NOTHING)).isEqualTo(new Action.Skip("webhook", "an incoming webhook cannot create a channel"));
        assertThat(slack.findAll(postRequestedFor(urlEqualTo(PATH)))).isEmpty();
    }
}
