package dev.nightshift.notifier.interactions;

import dev.nightshift.notifier.slack.Buttons;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InteractionTest {
    @Test
    void aButtonPressSaysWhoPressedWhichButtonOnWhat() {
        Interaction interaction = Interaction.parse(Presses.press("U0AAA1", Buttons.APPROVE, "inc-1:throttled:1:1"));

        assertThat(interaction.type()).isEqualTo("block_actions");
        assertThat(interaction.userId()).isEqualTo("U0AAA1");
        assertThat(interaction.channelId()).isEqualTo("C0OPS1");
        assertThat(interaction.actions()).containsExactly(new Interaction.Action(Buttons.APPROVE, "inc-1:throttled:1:1"));
    }

    @Test
    void aBodyWithoutAJsonPayloadIsNoInteraction() {
        assertThatThrownBy(() -> Interaction.parse("text=hello".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("no payload");
        assertThatThrownBy(() -> Interaction.parse("payload=%7Bnot+json".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> Interaction.parse("payload=%5B%5D".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a JSON object");
    }
}
