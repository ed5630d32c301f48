package dev.nightshift.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfluentWireFormatTest {
    @Test
    void readsTheBigEndianSchemaIdAfterTheMagicByte() {
        byte[] framed = {0, 0, 0, 1, 2, 42};
        assertThat(ConfluentWireFormat.schemaId(framed)).isEqualTo(258);
    }

    @Test
    void theHeaderIsTheMagicByteAndTheBigEndianSchemaId() {
        assertThat(ConfluentWireFormat.header(258)).containsExactly(0, 0, 0, 1, 2);
        assertThat(ConfluentWireFormat.schemaId(ConfluentWireFormat.header(0x7f00ff01))).isEqualTo(0x7f00ff01);
    }

    @Test
    void refusesAnotherMagicByte() {
        assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[]{1, 0, 0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 1");
    }

    @Test
    void refusesARecordTooShortForTheHeader() {
        assertThatThrownBy(() -> ConfluentWireFormat.schemaId("{}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void subjectsFollowTheTopicNameStrategy() {
        assertThat(ConfluentWireFormat.subject("alerts.raw", false)).isEqualTo("alerts.raw-value");
        assertThat(ConfluentWireFormat.subject("alerts.raw", true)).isEqualTo("alerts.raw-key");
    }
}
