package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.serde.ConfluentWireFormat;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.serde.RegistryAvroSerializer;
import dev.nightshift.serde.SchemaRegistryClient;
import dev.nightshift.triage.testing.InMemorySchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How triage reads {@code alerts.raw}: as the registry deserializer reads it, keeping the body's bytes only when they can be copied as they are. */
class EncodedAlertDeserializerTest {
    private final SchemaRegistryClient registry = InMemorySchemaRegistry.shared().client();
    private final String topic = "ead-" + UUID.randomUUID() + ".alerts.raw";
    private final RegistryAvroSerializer<Alert> serializer = new RegistryAvroSerializer<>(registry, false);
    private final RegistryAvroDeserializer<Alert> registryReader = new RegistryAvroDeserializer<>(registry, Alert.class);
    private final EncodedAlertDeserializer reader = new EncodedAlertDeserializer(registry);

    /** A plain {@link Alert} with the same fields, since a generated record never equals one of a subclass. */
    private static Alert plain(Alert alert) {
        return Alert.newBuilder(alert).build();
    }

    @Test
    void readsEveryFieldAsTheRegistryDeserializerDoesAndKeepsTheBody() {
        for (boolean optionalsSet : new boolean[]{true, false}) {
            for (int variant = 0; variant < 4; variant++) {
                Alert sent = (Alert) CompiledAvroTest.sample(Alert.getClassSchema(), optionalsSet, variant);
                byte[] bytes = serializer.serialize(topic, sent);

                EncodedAlert read = (EncodedAlert) reader.deserialize(topic, bytes);

                assertThat(plain(read)).as("optionals %s, variant %d", optionalsSet, variant)
                        .isEqualTo(sent).isEqualTo(registryReader.deserialize(topic, bytes));
                assertThat(read.encodedBuffer()).isSameAs(bytes);
                assertThat(read.encodedOffset()).isEqualTo(ConfluentWireFormat.HEADER_SIZE);
                assertThat(read.encodedLength()).isEqualTo(bytes.length - ConfluentWireFormat.HEADER_SIZE);
            }
        }
    }

    @Test
    void anAlertInAnOlderSchemaIsResolvedAndEncodedAgainRatherThanCopied() throws IOException {
        Schema older = olderAlertSchema();
        int id = registry.idFor(topic + "-value", older);
        GenericRecord record = new GenericData.Record(older);
        Alert sample = (Alert) CompiledAvroTest.sample(Alert.getClassSchema(), true, 1);
        for (Schema.Field field : older.getFields()) {
            Object value = sample.get(Alert.getClassSchema().getField(field.name()).pos());
            record.put(field.name(), value instanceof Enum<?> e ? new GenericData.EnumSymbol(field.schema(), e.name())
                    : value instanceof java.time.Instant t ? t.toEpochMilli() : value);
        }
        byte[] bytes = frame(id, encode(older, record));

        EncodedAlert read = (EncodedAlert) reader.deserialize(topic, bytes);

        assertThat(read.getAlertId()).isEqualTo(sample.getAlertId());
        assertThat(read.getLabels()).isEqualTo(sample.getLabels());
        assertThat(read.getStartsAt()).as("a field the older schema lacks gets its default").isNull();
        assertThat(read.encodedBuffer()).as("bytes in another schema are not the Alert class's encoding").isNull();
    }

    @Test
    void bytesAfterTheRecordAreNotCopiedIntoTheTeamRecord() {
        Alert sent = (Alert) CompiledAvroTest.sample(Alert.getClassSchema(), true, 2);
        byte[] bytes = serializer.serialize(topic, sent);
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 3);

        EncodedAlert read = (EncodedAlert) reader.deserialize(topic, trailing);

        assertThat(plain(read)).as("read as Avro reads it: what follows the record is ignored").isEqualTo(sent);
        assertThat(read.encodedBuffer()).isNull();
    }

    @Test
    void aBodyThatDoesNotMatchItsSchemaIsRefusedNamingTheSchemaIdAndTopic() {
        byte[] bytes = serializer.serialize(topic, (Alert) CompiledAvroTest.sample(Alert.getClassSchema(), true, 1));
        int id = ConfluentWireFormat.schemaId(bytes);
        byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
        byte[] badEnum = bytes.clone();
        // after the alert id (a length byte and its characters) comes the source enum's index
        badEnum[ConfluentWireFormat.HEADER_SIZE + 1 + (badEnum[ConfluentWireFormat.HEADER_SIZE] >> 1)] = 0x7e;

        for (byte[] corrupt : List.of(truncated, badEnum)) {
            assertThatThrownBy(() -> reader.deserialize(topic, corrupt))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("schema id " + id)
                    .hasMessageContaining(topic)
                    .hasMessageContaining("does not match its schema");
        }
        assertThatThrownBy(() -> reader.deserialize(topic, "not avro".getBytes()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("not in the Confluent Avro wire format");
    }

    /** The Alert schema as it was before {@code startsAt} and {@code endsAt} were added. */
    private static Schema olderAlertSchema() {
        Schema current = Alert.getClassSchema();
        List<Schema.Field> fields = current.getFields().stream()
                .filter(f -> !f.name().equals("startsAt") && !f.name().equals("endsAt"))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    private static byte[] encode(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] frame(int id, byte[] body) {
        byte[] framed = Arrays.copyOf(ConfluentWireFormat.header(id), ConfluentWireFormat.HEADER_SIZE + body.length);
        System.arraycopy(body, 0, framed, ConfluentWireFormat.HEADER_SIZE, body.length);
        return framed;
    }
}
