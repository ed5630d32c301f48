package dev.nightshift.notifier;

import dev.nightshift.notifier.slack.FakeSlackApi;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An alert storm through the notifier as shipped: 200 incidents of 4 teams opening within one group window give one
 * grouped parent per team (and channel and category), updated as incidents join, every incident in Jira once, Slack's
 * 429s obeyed (Retry-After), nothing posted twice.
 */
@WithKafkaStack
class NotifierStormIT {
    @Test
    void aStormGivesOneGroupedMessagePerTeamEveryIncidentInJiraOnceAndNoDuplicates(KafkaStack stack) throws Exception {
        Storm storm = new Storm(200, 4, Duration.ofMillis(20), 5);
        try (NotifierHarness world = new NotifierHarness(stack, "storm")) {
            storm.channels(world.slack);
            world.slack.rateLimit("chat.postMessage", 3, 1);
            EmbeddedServer notifier = world.start(Map.of());
            try {
                long started = System.nanoTime();
                storm.send(world, Instant.now());
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> storm.allTold(world.slack, world.jira));
                System.out.printf("storm of %d incidents of %d teams: everything in Slack and Jira after %d ms; %d Slack calls, %d answered 429%n",
                        storm.incidents(), storm.teams(), Duration.ofNanos(System.nanoTime() - started).toMillis(), world.slack.calls().size(),
                        world.slack.calls().stream().filter(c -> c.status() == 429).count());

                assertThat(Storm.parentsByChannel(world.slack)).as("one grouped parent per team's channel")
                        .containsOnlyKeys(Storm.channelId("payments"), Storm.channelId("search"), Storm.channelId("billing"), Storm.channelId("identity"))
                        .allSatisfy((channel, count) -> assertThat(count).isEqualTo(1L));
                assertThat(world.jira.issues()).hasSize(200);
                assertThat(Storm.ticketedTwice(world.jira)).isEmpty();
                assertThat(Storm.postedTwice(world.slack)).isEmpty();
                assertThat(Storm.replies(world.slack)).isEqualTo(storm.expectedReplies());
                // Each reply is in the thread of its incident's group.
                List<FakeSlackApi.Message> parents = world.slack.messages().stream().filter(m -> m.threadTs == null).toList();
                assertThat(world.slack.messages()).filteredOn(m -> m.threadTs != null).allSatisfy(reply -> assertThat(parents)
                        .anySatisfy(parent -> {
                            assertThat(parent.ts).isEqualTo(reply.threadTs);
                            assertThat(parent.channel).isEqualTo(reply.channel);
                        }));

                List<FakeSlackApi.Call> calls = world.slack.calls();
                assertThat(calls).filteredOn(c -> c.status() == 429).hasSize(3);
                for (int i = 0; i < calls.size() - 1; i++) {
                    if (calls.get(i).status() == 429) {
                        FakeSlackApi.Call limited = calls.get(i);
                        FakeSlackApi.Call nextCall = calls.get(i + 1);
                        assertThat(Duration.between(limited.at(), nextCall.at())).as("Slack asked for 1 s of quiet after a 429")
                                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
                    }
                }
                assertThat(world.get(notifier.getURL().toString(), "/prometheus"))
                        .containsPattern("nightshift_notifier_delivery_retries_total\\{[^}]*channel=\"#[a-z]+\"[^}]*reason=\"rate-limited\"");
            } finally {
                notifier.getApplicationContext().close();
            }
        }
    }
}
