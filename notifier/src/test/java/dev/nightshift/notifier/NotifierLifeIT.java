package dev.nightshift.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.notifier.jira.FakeJira;
import dev.nightshift.notifier.planner.PlannerDriver;
import dev.nightshift.notifier.jira.JiraTicketSystem;
import dev.nightshift.notifier.slack.Buttons;
import dev.nightshift.notifier.slack.FakeSlackApi;
import dev.nightshift.notifier.slack.SlackBlocks;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.Delivery;
import dev.nightshift.schema.DeliveryStatus;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.TopicNames;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.nightshift.notifier.planner.PlannerDriver.approval;
import static dev.nightshift.notifier.planner.PlannerDriver.incident;
import static dev.nightshift.notifier.planner.PlannerDriver.next;
import static dev.nightshift.notifier.planner.PlannerDriver.outcome;
import static dev.nightshift.notifier.planner.PlannerDriver.run;
import static dev.nightshift.notifier.planner.PlannerDriver.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier as shipped (planner, delivery worker and interactions endpoint in one service) on a real broker and
 * registry, fed the pipeline's own records, telling a fake Slack, a fake Jira and a PagerDuty stand-in: what a
 * responder sees of one incident's whole life, and that nothing is said twice.
 */
@WithKafkaStack
class NotifierLifeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void oneIncidentsLifeIsOneThreadUpdatedInPlaceWithARepliesInOrderAndOneTicket(KafkaStack stack) throws Exception {
        try (NotifierHarness world = new NotifierHarness(stack, "life")) {
            world.slack.channel("payments", "C0PAY");
            EmbeddedServer notifier = world.start(Map.of());
            try {
                assertThat(world.get(notifier.getURL().toString(), "/health")).as("both parts are up: the planner and the delivery worker")
                        .contains("\"RUNNING\"").contains("\"notifier-delivery\"").contains("\"assigned\":true");
                Instant t0 = Instant.now();
                Incident opened = incident("inc-life", t0).setTitle("Throttled reads on orders-eu").build();
                world.send(world.topics.incidents(), opened.getIncidentId(), opened);
                RemediationOutcome step = outcome(opened, 0, OutcomeStatus.SUCCEEDED, t0.plusSeconds(1))
                        .setSummary("added read capacity to orders-eu").build();
                world.send(world.topics.remediationOutcomes(), opened.getIncidentId(), step);
                ApprovalRequest pending = approval(opened, ApprovalStatus.PENDING, t0.plusSeconds(2)).build();
                world.send(world.topics.approvalRequests(), pending.getApprovalId(), pending);
                await().atMost(WAIT).until(() -> replies(world.slack).size() >= 2);
                ApprovalRequest approved = approval(opened, ApprovalStatus.APPROVED, t0.plusSeconds(3), vote("U0AAA1", true, t0.plusSeconds(3)))
                        .build();
                world.send(world.topics.approvalRequests(), approved.getApprovalId(), approved);
                Incident resolved = next(opened, "resolved", IncidentState.RESOLVED, t0.plusSeconds(4));
                world.send(world.topics.incidents(), resolved.getIncidentId(), resolved);

                await().atMost(WAIT).until(() -> world.jira.issues().size() == 1 && world.jira.issues().get(0).done
                        && world.jira.issues().get(0).comments.size() >= 2);
                await().atMost(WAIT).until(() -> parentText(world.slack).contains(":large_green_circle:") && replies(world.slack).size() >= 3);

                // Slack: one parent in the team's channel, with the bot's token, updated in place.
                List<FakeSlackApi.Call> parents = parents(world.slack);
                assertThat(parents).singleElement().satisfies(p -> {
                    assertThat(p.token()).isEqualTo(NotifierHarness.TOKEN);
                    assertThat(p.param("channel")).isEqualTo("C0PAY");
                    assertThat(p.visible()).contains("Throttled reads on orders-eu");
                    assertThat(p.buttons()).extracting(SlackBlocks.Button::label).contains("Acknowledge");
                });
                String parentTs = world.slack.messages().stream().filter(m -> m.threadTs == null).findFirst().orElseThrow().ts;
                assertThat(world.slack.calls("chat.update")).filteredOn(c -> c.param("ts").equals(parentTs)).isNotEmpty()
                        .allSatisfy(c -> assertThat(c.token()).isEqualTo(NotifierHarness.TOKEN));

                // Replies in the thread, in the order things happened: the step, the approval request, the resolution.
                List<FakeSlackApi.Call> replies = replies(world.slack);
                assertThat(replies).allSatisfy(r -> {
                    assertThat(r.param("thread_ts")).isEqualTo(parentTs);
                    assertThat(r.param("channel")).isEqualTo("C0PAY");
                });
                assertThat(replies.get(0).visible()).contains("added read capacity to orders-eu");
                FakeSlackApi.Call approvalReply = replies.get(1);
                assertThat(approvalReply.buttons()).extracting(SlackBlocks.Button::label).containsExactly("Approve", "Reject");
                assertThat(approvalReply.buttons()).extracting(SlackBlocks.Button::actionId).containsExactly(Buttons.APPROVE, Buttons.REJECT);
                assertThat(approvalReply.visible()).contains("dynamodb-scale").contains("orders");
                assertThat(replies.get(2).visible()).containsIgnoringCase("resolved");
                String approvalTs = world.slack.messages().stream()
                        .filter(m -> approvalReply.notificationId().equals(notificationIdOf(m.metadata))).findFirst().orElseThrow().ts;
                assertThat(world.slack.calls("chat.update")).filteredOn(c -> c.param("ts").equals(approvalTs)).last().satisfies(update -> {
                    assertThat(update.buttons()).as("a final decision takes the buttons away").isEmpty();
                    assertThat(update.visible()).contains("U0AAA1");
                });

                // Jira: one ticket, created once, a comment per step outcome and for the decision, resolved.
                FakeJira.Issue ticket = world.jira.issues().get(0);
                assertThat(ticket.project).isEqualTo("PAY");
                assertThat(ticket.labels()).contains(JiraTicketSystem.label("inc-life"));
                assertThat(ticket.fields.path("summary").asText()).contains("Throttled reads on orders-eu");
                assertThat(world.jira.requests("POST", "/rest/api/3/issue")).filteredOn(r -> r.path().equals("/rest/api/3/issue")).hasSize(1);
                assertThat(ticket.comments).extracting(c -> c.path("body").toString()).anySatisfy(body -> assertThat(body)
                        .contains("added read capacity to orders-eu"));
                assertThat(ticket.transitions).containsExactly("Done");

                // The record of what people were told.
                await().atMost(WAIT).until(() -> world.readAll(world.topics.notificationsDeliveries()).size() >= 9);
                List<ConsumerRecord<String, Delivery>> deliveries = world.readAll(world.topics.notificationsDeliveries());
                assertThat(deliveries).allSatisfy(d -> assertThat(d.key()).isEqualTo("inc-life"));
                assertThat(deliveries).extracting(d -> d.value().getStatus()).containsOnly(DeliveryStatus.SENT);

                // The same records again (an upstream redelivery): nothing is posted, commented or created twice.
                int posts = world.slack.calls("chat.postMessage").size();
                int comments = ticket.comments.size();
                world.send(world.topics.remediationOutcomes(), opened.getIncidentId(), step);
                world.send(world.topics.approvalRequests(), pending.getApprovalId(), pending);
                world.send(world.topics.incidents(), opened.getIncidentId(), opened);
                RemediationOutcome later = outcome(opened, 2, OutcomeStatus.SUCCEEDED, t0.plusSeconds(9)).setSummary("checked the alarm cleared")
                        .build();
                world.send(world.topics.remediationOutcomes(), opened.getIncidentId(), later);
                await().atMost(WAIT).until(() -> replies(world.slack).stream().anyMatch(r -> r.visible().contains("checked the alarm cleared")));
                await().atMost(WAIT).until(() -> ticket.comments.size() == comments + 1);
                assertThat(world.slack.calls("chat.postMessage")).as("only the new step's reply").hasSize(posts + 1);
                assertThat(parents(world.slack)).hasSize(1);
                assertThat(world.jira.issues()).hasSize(1);

                String metrics = world.get(notifier.getURL().toString(), "/prometheus");
                assertThat(metrics).contains("nightshift_notifier_deliveries_total");
            } finally {
                notifier.getApplicationContext().close();
            }
        }
    }

    @Test
    void anEscalatedRunPagesTheOnCallOnceAndSaysSoAndTheResolutionResolvesThePage(KafkaStack stack) throws Exception {
        try (NotifierHarness world = new NotifierHarness(stack, "escalation")) {
            world.slack.channel("payments", "C0PAY");
            EmbeddedServer notifier = world.start(Map.of());
            try {
                Instant t0 = Instant.now();
                Incident opened = incident("inc-esc", t0).build();
                world.send(world.topics.incidents(), opened.getIncidentId(), opened);
                world.send(world.topics.playbookRuns(), opened.getIncidentId(), run(opened, RunStatus.ESCALATED, 2, t0.plusSeconds(1)).build());
                world.send(world.topics.playbookRuns(), opened.getIncidentId(), run(opened, RunStatus.ESCALATED, 3, t0.plusSeconds(2)).build());
                await().atMost(WAIT).until(() -> !world.pagerDuty.findAll(postRequestedFor(urlEqualTo("/v2/enqueue"))).isEmpty());
                await().atMost(WAIT).until(() -> replies(world.slack).stream().anyMatch(r -> r.visible().toLowerCase().contains("paged")));
                Incident resolved = next(opened, "resolved", IncidentState.RESOLVED, t0.plusSeconds(5));
                world.send(world.topics.incidents(), resolved.getIncidentId(), resolved);
                await().atMost(WAIT).until(() -> world.pagerDuty.findAll(postRequestedFor(urlEqualTo("/v2/enqueue"))).size() >= 2);

                List<JsonNode> events = world.pagerDuty.findAll(postRequestedFor(urlEqualTo("/v2/enqueue"))).stream()
                        .map(NotifierLifeIT::json).toList();
                assertThat(events).extracting(e -> e.path("event_action").asText()).containsExactly("trigger", "resolve");
                assertThat(events).allSatisfy(e -> {
                    assertThat(e.path("dedup_key").asText()).isEqualTo("inc-esc");
                    assertThat(e.path("routing_key").asText()).isEqualTo(NotifierHarness.ROUTING_KEY);
                });
                String parentTs = world.slack.messages().stream().filter(m -> m.threadTs == null).findFirst().orElseThrow().ts;
                assertThat(replies(world.slack)).filteredOn(r -> r.visible().toLowerCase().contains("paged")).singleElement()
                        .satisfies(r -> assertThat(r.param("thread_ts")).isEqualTo(parentTs));
                assertThat(world.get(notifier.getURL().toString(), "/prometheus")).doesNotContain(NotifierHarness.ROUTING_KEY);
            } finally {
                notifier.getApplicationContext().close();
            }
        }
    }

    @Test
    void aNotificationSlackRefusesIsRecordedFailedAndDeadLetteredAndTheOthersGoOn(KafkaStack stack) throws Exception {
        try (NotifierHarness world = new NotifierHarness(stack, "refused")) {
            world.slack.channel("payments", "C0PAY");
            EmbeddedServer notifier = world.start(Map.of());
            try {
                Instant t0 = Instant.now();
                Incident lost = incident("inc-nowhere", t0).setOwner(PlannerDriver.owner("archive", "archive-svc", "#nowhere", "PAY")).build();
                world.send(world.topics.incidents(), lost.getIncidentId(), lost);
                Incident fine = incident("inc-fine", t0).build();
                world.send(world.topics.incidents(), fine.getIncidentId(), fine);

                await().atMost(WAIT).until(() -> parents(world.slack).size() == 1 && world.jira.issues().size() == 2);
                String deadLetters = TopicNames.deadLetter(world.topics.notificationsOutbox().name());
                await().atMost(WAIT).until(() -> !world.readRaw(deadLetters).isEmpty());
                assertThat(world.readRaw(deadLetters)).singleElement().satisfies(r -> assertThat(r.headers().lastHeader(DeadLetters.ERROR_MESSAGE))
                        .isNotNull());
                assertThat(world.readAll(world.topics.notificationsDeliveries())).map(ConsumerRecord::value)
                        .filteredOn(d -> d.getIncidentId().equals("inc-nowhere") && d.getTarget() == dev.nightshift.schema.NotificationTarget.SLACK)
                        .singleElement().satisfies(d -> {
                            assertThat(d.getStatus()).isEqualTo(DeliveryStatus.FAILED);
                            assertThat(d.getError()).contains("channel");
                        });
                assertThat(parents(world.slack)).singleElement().satisfies(p -> assertThat(p.param("channel")).isEqualTo("C0PAY"));
                assertThat(world.get(notifier.getURL().toString(), "/prometheus"))
                        .containsPattern("nightshift_notifier_deliveries_total\\{[^}]*channel=\"#nowhere\"[^}]*status=\"failed\"");
            } finally {
                notifier.getApplicationContext().close();
            }
        }
    }

    static List<FakeSlackApi.Call> parents(FakeSlackApi slack) {
        return slack.calls("chat.postMessage").stream().filter(c -> c.ok() && c.param("thread_ts") == null).toList();
    }

    static List<FakeSlackApi.Call> replies(FakeSlackApi slack) {
        return slack.calls("chat.postMessage").stream().filter(c -> c.ok() && c.param("thread_ts") != null).toList();
    }

    static String parentText(FakeSlackApi slack) {
        return slack.messages().stream().filter(m -> m.threadTs == null).findFirst().map(m -> SlackBlocks.visible(m.blocks)).orElse("");
    }

    static String notificationIdOf(String metadata) {
        try {
            return metadata == null ? null : JSON.readTree(metadata).path("event_payload").path("notification_id").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static JsonNode json(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
