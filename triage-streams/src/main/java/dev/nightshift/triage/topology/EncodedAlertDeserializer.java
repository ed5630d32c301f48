package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.serde.ConfluentWireFormat;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.serde.SchemaRegistryClient;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads {@code alerts.raw} values into {@link EncodedAlert}s: the registry deserializer's reading, plus,
 * when the record was written in the {@link Alert} class's own schema, the location of its body, so it
 * can be copied into the team record instead of encoded again. (A record written in an older or newer
 * schema is read the same way and encoded as usual.)
 */
final class EncodedAlertDeserializer implements Deserializer<Alert> {
    private final RegistryAvroDeserializer<Alert> registry;

    EncodedAlertDeserializer(SchemaRegistryClient client) {
        this.registry = new RegistryAvroDeserializer<>(client, Alert.class);
    }

    @Override
    public Alert deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        EncodedAlert alert = registry.deserializeInto(topic, data, new EncodedAlert());
        if (registry.bodyInOwnSchema(data)) {
            alert.encodedAs(data, ConfluentWireFormat.HEADER_SIZE, data.length - ConfluentWireFormat.HEADER_SIZE);
        }
        return alert;
    }
}
