package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.serde.ConfluentWireFormat;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.serde.SchemaRegistryClient;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.Optional;

/**
 * Reads {@code alerts.raw} values into {@link EncodedAlert}s. A record written in the {@link Alert} class's
 * own schema (what ingest writes) is read by {@link CompiledAvro} code straight from the record's bytes, and
 * keeps the location of its body, so it can be copied into the team record instead of encoded again (unless
 * bytes follow the record, which Avro ignores on reading and so must not be copied). A
 * record written in an older or newer schema is read by the registry deserializer, which resolves the two
 * schemas, and is encoded as usual. Either way a body that does not match its schema is refused with a
 * {@link SerializationException} naming the schema id and the topic (the dead-letter handler keeps it).
 */
final class EncodedAlertDeserializer implements Deserializer<Alert> {
    /**
     * Empty only if the Alert schema gains a construct {@code CompiledAvro} does not read: then the registry
     * deserializer reads every alert and none keeps its bytes.
     */
    private static final Optional<CompiledAvro.ValueReader> OWN_SCHEMA = CompiledAvro.readerFor(Alert.getClassSchema(), EncodedAlert::new);

    private final RegistryAvroDeserializer<Alert> registry;

    EncodedAlertDeserializer(SchemaRegistryClient client) {
        this.registry = new RegistryAvroDeserializer<>(client, Alert.class);
    }

    @Override
    public Alert deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (OWN_SCHEMA.isEmpty() || !registry.bodyInOwnSchema(data)) {
            return registry.deserializeInto(topic, data, new EncodedAlert());
        }
        int length = data.length - ConfluentWireFormat.HEADER_SIZE;
        ByteArrayDecoder body = new ByteArrayDecoder(data, ConfluentWireFormat.HEADER_SIZE, length);
        EncodedAlert alert;
        try {
            alert = (EncodedAlert) OWN_SCHEMA.get().read(body);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not read a record with schema id " + ConfluentWireFormat.schemaId(data)
                    + " from topic " + topic + ": the body does not match its schema (" + e.getMessage() + ")", e);
        }
        if (body.isEnd()) {
            alert.encodedAs(data, ConfluentWireFormat.HEADER_SIZE, length);
        }
        return alert;
    }
}
