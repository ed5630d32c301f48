package dev.nightshift.notifier.slack;

import dev.nightshift.notifier.LogCapture;
import dev.nightshift.notifier.delivery.DeliveryException;
import dev.nightshift.notifier.delivery.DeliveryFailures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Slack's own client, as the notifier builds it, against a local fake of the Web API: the requests on the wire and what Slack's answers mean. */
class SlackWebApiTest {
    private static final String TOKEN = "xoxb-test-SECRETTOKEN";
    private FakeSlackApi fake;
    private SlackPacer pacer;
    private SlackWebApi api;
    private final SlackMessage message = new SlackMessage("[OPEN] orders-eu throttled", List.of(section(s -> s.text(markdownText("*[OPEN]* orders-eu")))));

    @BeforeEach
    void start() throws Exception {
        fake = new FakeSlackApi().channel("payments-oncall", "C0PAYMENTS");
        pacer = new SlackPacer(100, 10, System::nanoTime);
        api = SlackWebApi.of(SlackAppConfig.at(fake.url()), TOKEN, pacer);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        fake.close();
    }

    @Test
    void aPostCarriesTheTokenChannelThreadBlocksAndTheNotificationInItsMetadata() {
        String parent = api.post("C0PAYMENTS", null, message, "thread:k1", Map.of());
        String reply = api.post("C0PAYMENTS", parent, message, "inc-1:step:r1", Map.of());

        List<FakeSlackApi.Call> posts = fake.calls("chat.postMessage");
        assertThat(posts).hasSize(2);
        assertThat(posts).allSatisfy(post -> assertThat(post.token()).isEqualTo(TOKEN));
        assertThat(posts.get(0).param("channel")).isEqualTo("C0PAYMENTS");
        assertThat(posts.get(0).param("thread_ts")).isNull();
        assertThat(posts.get(0).param("text")).isEqualTo("[OPEN] orders-eu throttled");
        assertThat(posts.get(0).visible()).isEqualTo("*[OPEN]* orders-eu");
        assertThat(FakeSlackApi.tree(posts.get(0).param("metadata")).path("event_type").asText()).isEqualTo("nightshift_notification");
        assertThat(posts.get(0).notificationId()).isEqualTo("thread:k1");
        assertThat(posts.get(1).param("thread_ts")).isEqualTo(parent);
        assertThat(posts.get(1).notificationId()).isEqualTo("inc-1:step:r1");
        assertThat(fake.message(reply).threadTs).isEqualTo(parent);
    }

    @Test
    void anUpdateReplacesTheMessageInPlace() {
        String ts = api.post("C0PAYMENTS", null, message, "thread:k1", Map.of());

        api.update("C0PAYMENTS", ts, new SlackMessage("[RESOLVED] orders-eu", List.of(section(s -> s.text(markdownText("*[RESOLVED]* orders-eu"))))), "thread:k1");

        FakeSlackApi.Call update = fake.calls("chat.update").get(0);
        assertThat(update.param("ts")).isEqualTo(ts);
        assertThat(update.visible()).isEqualTo("*[RESOLVED]* orders-eu");
        assertThat(update.notificationId()).isEqualTo("thread:k1");
        assertThat(fake.messages()).singleElement().satisfies(m -> assertThat(m.text).isEqualTo("[RESOLVED] orders-eu"));
    }

    @Test
    void aMessageIsFoundAgainByTheNotificationInItsMetadata() {
        Instant before = Instant.now().minusSeconds(60);
        String parent = api.post("C0PAYMENTS", null, message, "thread:k1", Map.of());
        api.post("C0PAYMENTS", null, message, "thread:k2", Map.of());
        String reply = api.post("C0PAYMENTS", parent, message, "inc-1:step:r1", Map.of("incident_channel", "C0INC"));

        assertThat(api.find("C0PAYMENTS", null, "thread:k1", before)).map(SlackWebApi.Found::ts).contains(parent);
        assertThat(api.find("C0PAYMENTS", parent, "inc-1:step:r1", before)).hasValueSatisfying(found -> {
            assertThat(found.ts()).isEqualTo(reply);
            assertThat(found.payload()).containsEntry("incident_channel", "C0INC");
        });
        assertThat(api.find("C0PAYMENTS", null, "inc-1:step:r1", before)).as("a reply is not in the channel's history").isEmpty();
        assertThat(api.find("C0PAYMENTS", parent, "inc-1:step:r2", before)).isEmpty();
        assertThat(api.find("C0PAYMENTS", null, "thread:k1", Instant.now().plusSeconds(60))).as("older than asked").isEmpty();
        assertThat(fake.calls("conversations.history")).allSatisfy(call -> assertThat(call.param("include_all_metadata")).isIn("1", "true"));
        assertThat(fake.calls("conversations.replies")).allSatisfy(call -> assertThat(call.param("ts")).isEqualTo(parent));
    }

    @Test
    void aLongHistoryIsReadPageByPage() {
        Instant before = Instant.now().minusSeconds(60);
        String first = api.post("C0PAYMENTS", null, message, "thread:first", Map.of());
        for (int i = 0; i < 450; i++) {
            api.post("C0PAYMENTS", null, message, "thread:other-" + i, Map.of());
        }

        assertThat(api.find("C0PAYMENTS", null, "thread:first", before)).map(SlackWebApi.Found::ts).contains(first);
        assertThat(fake.calls("conversations.history")).hasSize(3);
    }

    @Test
    void aChannelIsNamedAsOwnershipNamesItAndLookedUpOnce() {
        assertThat(api.channelId("#payments-oncall")).isEqualTo("C0PAYMENTS");
        assertThat(api.channelId("payments-oncall")).isEqualTo("C0PAYMENTS");
        assertThat(api.channelId("C0PAYMENTS")).isEqualTo("C0PAYMENTS");
        assertThat(fake.calls("conversations.list")).hasSize(1);

        DeliveryException unknown = catchThrowableOfType(DeliveryException.class, () -> api.channelId("#nowhere"));
        assertThat(unknown).hasMessageContaining("#nowhere");
        assertThat(unknown.retryable()).isFalse();
    }

    @Test
    void aChannelIsCreatedOnceAndFoundWhenItExistsAlready() {
        String created = api.createChannel("inc-7");
        String again = api.createChannel("inc-7");

        assertThat(again).isEqualTo(created);
        assertThat(fake.calls("conversations.create")).extracting(c -> c.param("name")).containsExactly("inc-7", "inc-7");
    }

    @Test
    void aRateLimitIsRetryableAfterSlacksWaitAndKeepsEveryCallQuietUntilThen() {
        fake.rateLimit("chat.postMessage", 1, 7);

        DeliveryException limited = catchThrowableOfType(DeliveryException.class, () -> api.post("C0PAYMENTS", null, message, "thread:k1", Map.of()));

        assertThat(limited.retryable()).isTrue();
        assertThat(limited.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(DeliveryFailures.nothingMade(limited)).as("Slack answered: nothing was posted").isTrue();
        assertThat(pacer.take("C0OTHER")).isGreaterThan(Duration.ofSeconds(6));
        DeliveryException quiet = catchThrowableOfType(DeliveryException.class, () -> api.post("C0PAYMENTS", null, message, "thread:k1", Map.of()));
        assertThat(quiet.retryAfter()).isPresent();
        assertThat(fake.calls("chat.postMessage")).as("not called while Slack asked to wait").hasSize(1);
    }

    @Test
    void aServerErrorIsRetryableAndItsResultUnknown() {
        fake.failNext("chat.postMessage", 1);

        DeliveryException failed = catchThrowableOfType(DeliveryException.class, () -> api.post("C0PAYMENTS", null, message, "thread:k1", Map.of()));

        assertThat(failed.retryable()).isTrue();
        assertThat(failed.retryAfter()).isEmpty();
        assertThat(DeliveryFailures.nothingMade(failed)).as("it may have been posted: looked for before the next try").isFalse();
    }

    @Test
    void anUnreachableSlackIsRetryable() throws Exception {
        SlackWebApi nowhere = SlackWebApi.of(SlackAppConfig.at("http://127.0.0.1:9/api/"), TOKEN, pacer);
        DeliveryException failed = catchThrowableOfType(DeliveryException.class, () -> nowhere.post("C0PAYMENTS", null, message, "thread:k1", Map.of()));
        nowhere.close();

        assertThat(failed.retryable()).isTrue();
        assertThat(failed).hasMessageContaining("unreachable");
    }

    @Test
    void anErrorSlackNamesIsPermanentAndSaysWhatToDo() {
        DeliveryException refused = catchThrowableOfType(DeliveryException.class, () -> api.post("C0GONE00", null, message, "thread:k1", Map.of()));

        assertThat(refused.retryable()).isFalse();
        assertThat(refused).hasMessage("chat.postMessage refused by Slack: channel_not_found (no such channel, or a private one without the app)");
    }

    @Test
    void theTokenIsInNoLogLineAndNoErrorEvenAtDebug() throws Exception {
        List<String> lines = LogCapture.atDebugDuring(() -> {
            String ts = api.post("C0PAYMENTS", null, message, "thread:k1", Map.of());
            api.find("C0PAYMENTS", null, "thread:k1", Instant.now().minusSeconds(60));
            fake.failNext("chat.postMessage", 1).rateLimit("chat.update", 1, 1);
            catchThrowableOfType(DeliveryException.class, () -> api.post("C0PAYMENTS", null, message, "thread:k2", Map.of()));
            DeliveryException limited = catchThrowableOfType(DeliveryException.class, () -> api.update("C0PAYMENTS", ts, message, "thread:k1"));
            LoggerFactory.getLogger("test").warn("failed: {}", limited.getMessage(), limited);
        });

        assertThat(lines).isNotEmpty().noneMatch(line -> line.contains("SECRETTOKEN"));
        assertThat(fake.calls()).allSatisfy(call -> assertThat(call.token()).isEqualTo(TOKEN));
    }
}
