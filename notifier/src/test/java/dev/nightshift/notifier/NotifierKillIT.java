package dev.nightshift.notifier;

import dev.nightshift.schema.Delivery;
import dev.nightshift.schema.DeliveryStatus;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.ServiceProcess;
import dev.nightshift.testkit.WithKafkaStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier as shipped, in its own JVM, killed with SIGKILL in the middle of a storm and started again with the same
 * environment, three times: once while Slack had taken a reply and not yet answered (the window between Slack's answer
 * and the ledger's FINISHED), twice at whatever it was doing. No ticket and no parent message is made twice; how many
 * replies were posted twice is measured and printed (the README quotes it).
 */
@WithKafkaStack
class NotifierKillIT {
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void aNotifierKilledMidStormAndStartedAgainMakesNoTicketAndNoParentTwice(KafkaStack stack) throws Exception {
        Storm storm = new Storm(90, 3, Duration.ofMillis(30), 1);
        Path log = Files.createTempFile("notifier-kill", ".log");
        try (NotifierHarness world = new NotifierHarness(stack, "kill")) {
            storm.channels(world.slack);
            Map<String, String> environment = world.environment();
            ServiceProcess notifier = start(world, environment, log);
            storm.send(world, Instant.now());

            // 1: Slack takes a reply and the notifier dies before it hears back.
            world.slack.holdPost(call -> call.param("thread_ts") != null, Duration.ofSeconds(30));
            await().atMost(WAIT).until(() -> world.slack.calls("chat.postMessage").stream().anyMatch(c -> c.param("thread_ts") != null));
            notifier.kill();
            world.slack.release();
            String heldReply = world.slack.calls("chat.postMessage").stream().filter(c -> c.param("thread_ts") != null)
                    .reduce((first, second) -> second).orElseThrow().notificationId();
            int kills = 1;

            // 2 and 3: killed at whatever it was doing, after a few more messages.
            for (int round = 0; round < 2; round++) {
                notifier = start(world, environment, log);
                int before = world.slack.messages().size() + world.jira.issues().size();
                await().atMost(WAIT).until(() -> world.slack.messages().size() + world.jira.issues().size() >= before + 7
                        || storm.allTold(world.slack, world.jira));
                notifier.kill();
                kills++;
            }

            notifier = start(world, environment, log);
            try {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> storm.allTold(world.slack, world.jira));
            } finally {
                notifier.close();
            }

            long replies = Storm.replies(world.slack);
            long twice = Storm.postedTwice(world.slack).values().stream().mapToLong(n -> n - 1).sum();
            System.out.printf("notifier killed %d times mid-storm (%d incidents, %d replies): %d duplicate replies (%s), %d duplicate parents, "
                            + "%d duplicate tickets%n", kills, storm.incidents(), storm.expectedReplies(), twice, Storm.postedTwice(world.slack),
                    Storm.parentsByChannel(world.slack).values().stream().mapToLong(n -> n - 1).sum(), Storm.ticketedTwice(world.jira).size());

            assertThat(Storm.parentsByChannel(world.slack)).hasSize(3).allSatisfy((channel, count) -> assertThat(count).isEqualTo(1L));
            assertThat(world.jira.issues()).hasSize(storm.incidents());
            assertThat(Storm.ticketedTwice(world.jira)).isEmpty();
            assertThat(Storm.distinctReplies(world.slack)).isEqualTo(storm.expectedReplies());
            assertThat(replies).as("replies posted, duplicates included").isEqualTo(storm.expectedReplies() + twice);
            assertThat(world.readAll(world.topics.notificationsDeliveries())).as("the reply Slack took as the notifier died was found, not posted again")
                    .map(ConsumerRecord::value).filteredOn(d -> d.getNotificationId().equals(heldReply))
                    .extracting(Delivery::getStatus).contains(DeliveryStatus.FOUND).doesNotContain(DeliveryStatus.SENT);
            assertThat(Storm.postedTwice(world.slack)).as("the measured duplicate window (target 0)").isEmpty();
        }
    }

    private static ServiceProcess start(NotifierHarness world, Map<String, String> environment, Path log) throws Exception {
        ServiceProcess notifier = ServiceProcess.start(NotifierApplication.class.getName(), environment, "NOTIFIER_PORT", log);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> notifier.healthy() || !notifier.alive());
        assertThat(notifier.alive()).as("the notifier started (see " + world.prefix + " in its log)").isTrue();
        return notifier;
    }
}
