package dev.nightshift.workers.operator;

import dev.nightshift.registry.InMemorySchemaRegistry;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.CommandKind;
import dev.nightshift.schema.ControlKind;
import dev.nightshift.schema.PlaybookCommand;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

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
        assertThat(decision.getChannel()).isEqualTo("cli");
        assertThat(decision.getReason()).isEqualTo("go ahead");
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
    void aCommandWithoutAPersonOrWithAnIdThatIsNoStepIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> commands.decide(STEP, true, " ", "cli", null, AT)).hasMessageContaining("--as PERSON");
        assertThatThrownBy(() -> commands.decide(STEP, true, "the boss", "cli", null, AT)).hasMessageContaining("neither a Slack user id");
        assertThatThrownBy(() -> commands.command(CommandKind.RETRY, "fp-orders-1a2b", "sam@example.com", "cli", AT))
                .hasMessageContaining("is not a step id");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = OperatorCli.run(new String[]{"approve", STEP}, Map.of("SCHEMA_REGISTRY_URL", InMemorySchemaRegistry.shared().url())::get,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--as PERSON").contains("usage:");
    }
}
