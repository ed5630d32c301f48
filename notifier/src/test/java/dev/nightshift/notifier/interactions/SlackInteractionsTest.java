package dev.nightshift.notifier.interactions;

import dev.nightshift.commands.OperatorCommands;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.notifier.slack.Buttons;
import dev.nightshift.registry.InMemorySchemaRegistry;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.CommandKind;
import dev.nightshift.schema.ControlKind;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.PlaybookCommand;
import dev.nightshift.schema.ResponseKind;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each press becomes, without HTTP: the record (the broker is Kafka's own in-memory producer here; the
 * endpoint on a real broker is SlackInteractionsIT), and what is refused or ignored.
 */
class SlackInteractionsTest {
    private static final String SECRET = "test-signing-secret";
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final String STEP = "fp-orders-1a2b:dynamodb-throttling:1:1";
    private static final Map<String, String> EMAILS = Map.of("U0AAA1", "sam@example.com", "U0ZZZ9", "mallory@example.com");

    private final PipelineSettings pipeline = PipelineSettings.from(Map.of("schema.registry.url", InMemorySchemaRegistry.shared().url())::get);
    private final Topics topics = pipeline.topics();
    private MockProducer<byte[], byte[]> broker = broker();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private SlackInteractions interactions = interactions(broker, List.of());

    @AfterEach
    void close() {
        interactions.close();
    }

    private static MockProducer<byte[], byte[]> broker() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private SlackInteractions interactions(Producer<byte[], byte[]> producer, List<String> operators) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        UserDirectory directory = userId -> Optional.ofNullable(EMAILS.get(userId));
        return new SlackInteractions(new SlackSignatureVerifier(() -> SECRET, clock), new OperatorCommands(topics), producer, directory,
                operators, new InteractionMetrics(meters), clock);
    }

    /** A press sent as Slack sends it, signed with the secret now. */
    private SlackInteractions.Answer press(SlackInteractions to, String user, String button, String value) {
        byte[] body = Presses.press(user, button, value);
        String timestamp = Long.toString(NOW.getEpochSecond());
        return to.handle(timestamp, SlackSignatureVerifier.sign(SECRET, timestamp, body), body);
    }

    @Test
    void eachButtonWritesItsRecordNamingTheSlackUserAndTheChannelSlack() {
        assertThat(press(interactions, "U0AAA1", Buttons.APPROVE, STEP).status()).isEqualTo(200);
        assertThat(press(interactions, "U0BBB2", Buttons.REJECT, STEP).status()).isEqualTo(200);
        assertThat(press(interactions, "U0AAA1", Buttons.ACKNOWLEDGE, "fp-orders-1a2b").status()).isEqualTo(200);
        assertThat(press(interactions, "U0AAA1", Buttons.SWITCH_ON, "dynamodb-scale").status()).isEqualTo(200);
        assertThat(press(interactions, "U0AAA1", Buttons.RETRY, STEP).status()).isEqualTo(200);

        List<ProducerRecord<byte[], byte[]>> written = broker.history();
        assertThat(written).extracting(ProducerRecord::topic).containsExactly("approvals.decisions", "approvals.decisions",
                "incident.responses", "automation.control", "playbook.commands");
        assertThat(written).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly(STEP, STEP, "fp-orders-1a2b", "action:dynamodb-scale", "fp-orders-1a2b");

        ApprovalDecision approve = value(topics.approvalDecisions(), written.get(0));
        assertThat(approve.getApproved()).isTrue();
        assertThat(approve.getDecidedBy()).isEqualTo("U0AAA1");
        assertThat(approve.getDecidedByAliases()).containsExactly("sam@example.com");
        assertThat(approve.getChannel()).isEqualTo("slack");
        assertThat(approve.getDecidedAt()).isEqualTo(NOW);
        ApprovalDecision reject = value(topics.approvalDecisions(), written.get(1));
        assertThat(reject.getApproved()).isFalse();
        assertThat(reject.getDecidedBy()).isEqualTo("U0BBB2");
        assertThat(reject.getDecidedByAliases()).as("no e-mail found: the Slack user id alone").isEmpty();
        IncidentResponse ack = value(topics.incidentResponses(), written.get(2));
        assertThat(ack.getKind()).isEqualTo(ResponseKind.ACKNOWLEDGED);
        assertThat(ack.getBy()).isEqualTo("U0AAA1");
        assertThat(ack.getByAliases()).containsExactly("sam@example.com");
        assertThat(ack.getChannel()).isEqualTo("slack");
        AutomationControl on = value(topics.automationControl(), written.get(3));
        assertThat(on.getKind()).isEqualTo(ControlKind.ENABLE);
        assertThat(on.getTarget()).isEqualTo("dynamodb-scale");
        assertThat(on.getBy()).isEqualTo("U0AAA1");
        assertThat(on.getChannel()).isEqualTo("slack");
        PlaybookCommand retry = value(topics.playbookCommands(), written.get(4));
        assertThat(retry.getKind()).isEqualTo(CommandKind.RETRY);
        assertThat(retry.getRequestId()).isEqualTo(STEP);
        assertThat(retry.getChannel()).isEqualTo("slack");

        assertThat(meters.get("nightshift.slack.presses").tags("button", "approve", "result", "recorded").counter().count()).isEqualTo(1);
        assertThat(meters.get("nightshift.slack.presses").tags("button", "switch-on", "result", "recorded").counter().count()).isEqualTo(1);
    }

    @Test
    void aRequestSlackDidNotSignGets401AndWritesNothing() {
        byte[] body = Presses.press("U0AAA1", Buttons.APPROVE, STEP);
        String timestamp = Long.toString(NOW.getEpochSecond());

        SlackInteractions.Answer forged = interactions.handle(timestamp, SlackSignatureVerifier.sign("guessed", timestamp, body), body);
        SlackInteractions.Answer unsigned = interactions.handle(null, null, body);

        assertThat(forged.status()).isEqualTo(401);
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(forged.body()).isEqualTo(unsigned.body()).doesNotContainIgnoringCase("signature").doesNotContainIgnoringCase("secret");
        assertThat(broker.history()).isEmpty();
        assertThat(meters.get("nightshift.slack.requests.refused").tags("reason", "forged").counter().count()).isEqualTo(1);
        assertThat(meters.get("nightshift.slack.requests.refused").tags("reason", "unsigned").counter().count()).isEqualTo(1);
    }

    @Test
    void anUnknownButtonOrInteractionTypeGets200AndWritesNothing() {
        assertThat(press(interactions, "U0AAA1", "someone_elses_button", "x").status()).isEqualTo(200);
        byte[] modal = Presses.ofType("view_submission");
        String timestamp = Long.toString(NOW.getEpochSecond());
        assertThat(interactions.handle(timestamp, SlackSignatureVerifier.sign(SECRET, timestamp, modal), modal).status()).isEqualTo(200);

        assertThat(broker.history()).isEmpty();
        assertThat(meters.get("nightshift.slack.presses").tags("button", "unknown", "result", "ignored").counter().count()).isEqualTo(1);
    }

    @Test
    void aPressOnAValueThatIsNoApprovalIdGets200AndWritesNothing() {
        assertThat(press(interactions, "U0AAA1", Buttons.APPROVE, "not-a-step").status()).isEqualTo(200);

        assertThat(broker.history()).isEmpty();
        assertThat(meters.get("nightshift.slack.presses").tags("button", "approve", "result", "invalid").counter().count()).isEqualTo(1);
    }

    @Test
    void withOperatorsSetSwitchBackOnAndRetryCountOnlyFromThemByIdOrEmail() {
        interactions.close();
        broker = broker();
        interactions = interactions(broker, List.of("sam@example.com", "U0CCC3"));

        press(interactions, "U0ZZZ9", Buttons.SWITCH_ON, "dynamodb-scale");
        press(interactions, "U0ZZZ9", Buttons.RETRY, STEP);
        assertThat(broker.history()).as("mallory is no operator").isEmpty();
        assertThat(meters.get("nightshift.slack.presses").tags("button", "switch-on", "result", "not-allowed").counter().count()).isEqualTo(1);

        press(interactions, "U0AAA1", Buttons.SWITCH_ON, "dynamodb-scale");
        press(interactions, "U0CCC3", Buttons.RETRY, STEP);
        press(interactions, "U0ZZZ9", Buttons.ACKNOWLEDGE, "fp-orders-1a2b");
        assertThat(broker.history()).extracting(ProducerRecord::topic).as("sam by e-mail, U0CCC3 by id; anyone acknowledges")
                .containsExactly("automation.control", "playbook.commands", "incident.responses");
    }

    @Test
    void aPressTheBrokerDoesNotTakeGets503SoThePersonSeesItFailed() {
        interactions.close();
        PipelineSettings unreachable = PipelineSettings.from(Map.of("kafka.bootstrap.servers", "127.0.0.1:1",
                "schema.registry.url", InMemorySchemaRegistry.shared().url())::get);
        interactions = interactions(InteractionsFactory.producer(unreachable), List.of());

        SlackInteractions.Answer answer = press(interactions, "U0AAA1", Buttons.ACKNOWLEDGE, "fp-orders-1a2b");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(meters.get("nightshift.slack.presses").tags("button", "acknowledge", "result", "failed").counter().count()).isEqualTo(1);
    }

    private static <V> V value(Topic<String, V> topic, ProducerRecord<byte[], byte[]> record) {
        return topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }
}
