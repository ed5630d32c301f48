package dev.nightshift.commands;

import dev.nightshift.registry.InMemorySchemaRegistry;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.CommandKind;
import dev.nightshift.schema.ControlKind;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.PlaybookCommand;
import dev.nightshift.schema.ResponseKind;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorCommandsTest {
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
    private static final String STEP = "fp-orders-1a2b:dynamodb-throttling:1:1";
    private final Topics topics = new Topics(TopicNames.defaults(), RegistryConfig.of(InMemorySchemaRegistry.shared().url()));
    private final OperatorCommands commands = new OperatorCommands(topics);

    @Test
    void anApprovalIsADecisionKeyedByTheRequestNamingThePersonAndTheChannel() {
        ProducerRecord<byte[], byte[]> record = commands.decide(STEP, true, "sam@example.com", "cli", "go ahead", AT);

        assertThat(record.topic()).isEqualTo("approvals.decisions");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(STEP);
        ApprovalDecision decision = topics.approvalDecisions().valueSerde().deserializer().deserialize(record.topic(), record.value());
        assertThat(decision.getIncidentId()).isEqualTo("fp-orders-1a2b");
        assertThat(decision.getApproved()).isTrue();
        assertThat(decision.getDecidedBy()).isEqualTo("sam@example.com");
        assertThat(decision.getDecidedByAliases()).isEmpty();
        assertThat(decision.getChannel()).isEqualTo("cli");
        assertThat(decision.getReason()).isEqualTo("go ahead");
    }

    @Test
    void aSlackUsersDecisionCarriesTheirEmailAsAnotherNameOfTheSamePerson() {
        ProducerRecord<byte[], byte[]> record = commands.decide(STEP, false, "U0AAA1", List.of("sam@example.com", "", "U0AAA1", "SAM@example.com"),
                "slack", null, AT);

        ApprovalDecision decision = topics.approvalDecisions().valueSerde().deserializer().deserialize(record.topic(), record.value());
        assertThat(decision.getDecidedBy()).isEqualTo("U0AAA1");
        assertThat(decision.getDecidedByAliases()).as("names of a person, each once, not the person's own").containsExactly("sam@example.com");
        assertThat(decision.getApproved()).isFalse();
        assertThat(decision.getChannel()).isEqualTo("slack");
    }

    @Test
    void anAcknowledgementIsAResponseKeyedByTheIncident() {
        ProducerRecord<byte[], byte[]> record = commands.acknowledge("fp-orders-1a2b", "U0AAA1", List.of("sam@example.com"), "slack", AT);

        assertThat(record.topic()).isEqualTo("incident.responses");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("fp-orders-1a2b");
        IncidentResponse response = topics.incidentResponses().valueSerde().deserializer().deserialize(record.topic(), record.value());
        assertThat(response.getIncidentId()).isEqualTo("fp-orders-1a2b");
        assertThat(response.getKind()).isEqualTo(ResponseKind.ACKNOWLEDGED);
        assertThat(response.getBy()).isEqualTo("U0AAA1");
        assertThat(response.getByAliases()).containsExactly("sam@example.com");
        assertThat(response.getChannel()).isEqualTo("slack");
        assertThat(response.getAt()).isEqualTo(AT);
    }

    @Test
    void pausesAndSwitchesAreKeyedByTheirScopeOnTheControlTopic() {
        ProducerRecord<byte[], byte[]> pause = commands.pause("checkout", AT.plusSeconds(3600), "U0123ABCD", "http", null, AT);
        ProducerRecord<byte[], byte[]> off = commands.switchAction("dynamodb-scale", false, "U0123ABCD", "cli", "a bad day", AT);

        assertThat(new String(pause.key(), StandardCharsets.UTF_8)).isEqualTo("pause:service:checkout");
        AutomationControl paused = topics.automationControl().valueSerde().deserializer().deserialize(pause.topic(), pause.value());
        assertThat(paused.getKind()).isEqualTo(ControlKind.PAUSE);
        assertThat(paused.getUntil()).isEqualTo(AT.plusSeconds(3600));
        assertThat(new String(off.key(), StandardCharsets.UTF_8)).isEqualTo("action:dynamodb-scale");
        assertThat(new String(commands.pause(null, null, "U0123ABCD", "cli", null, AT).key(), StandardCharsets.UTF_8)).isEqualTo("pause:all");
    }

    @Test
    void undoAndRetryAreCommandsKeyedByTheIncident() {
        ProducerRecord<byte[], byte[]> undo = commands.command(CommandKind.UNDO, STEP, "sam@example.com", "cli", AT);

        assertThat(undo.topic()).isEqualTo("playbook.commands");
        assertThat(new String(undo.key(), StandardCharsets.UTF_8)).isEqualTo("fp-orders-1a2b");
        PlaybookCommand command = topics.playbookCommands().valueSerde().deserializer().deserialize(undo.topic(), undo.value());
        assertThat(command.getKind()).isEqualTo(CommandKind.UNDO);
        assertThat(command.getRequestId()).isEqualTo(STEP);
    }

    @Test
    void aCommandWithoutAPersonOrWithAnIdThatIsNoStepOrIncidentIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> commands.decide(STEP, true, " ", "cli", null, AT)).hasMessageContaining("--as PERSON");
        assertThatThrownBy(() -> commands.decide(STEP, true, "the boss", "cli", null, AT)).hasMessageContaining("neither a Slack user id");
        assertThatThrownBy(() -> commands.command(CommandKind.RETRY, "fp-orders-1a2b", "sam@example.com", "cli", AT))
                .hasMessageContaining("is not a step id");
        assertThatThrownBy(() -> commands.acknowledge(" ", "sam@example.com", List.of(), "cli", AT)).hasMessageContaining("name the incident");
        assertThatThrownBy(() -> commands.acknowledge("fp-orders-1a2b", null, List.of(), "cli", AT)).hasMessageContaining("--as PERSON");
    }

    @Test
    void aPersonIsASlackUserIdOrAnEmailAddress() {
        assertThat(People.isPerson("U0AAA1")).isTrue();
        assertThat(People.isPerson("W0AAA1")).isTrue();
        assertThat(People.isPerson("sam@example.com")).isTrue();
        assertThat(People.isPerson("sam")).isFalse();
        assertThat(People.isPerson("u0aaa1")).isFalse();
        assertThat(People.isPerson(null)).isFalse();
    }
}
