package dev.nightshift.serde;

import dev.nightshift.schema.Alert;
import dev.nightshift.testkit.FreePorts;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The serde against a real schema registry (Apicurio's Confluent-compatible API). */
@WithKafkaStack
class RegistryAvroSerdeIT {
    private SchemaRegistryClient client;
    private String topic;

    @BeforeEach
    void setUp(KafkaStack stack) {
        client = new SchemaRegistryClient(RegistryConfig.of(stack.schemaRegistryUrl()));
        topic = KafkaStack.unique("serde");
    }

    @Test
    void alertRoundTripsInTheConfluentWireFormat() {
        Alert alert = Samples.alert("orders-eu-read-throttle");
        byte[] bytes = new RegistryAvroSerializer<Alert>(client, false).serialize(topic, alert);

        int id = ConfluentWireFormat.schemaId(bytes);
        assertThat(bytes[0]).isZero();
        assertThat(client.schemaById(id)).isEqualTo(Alert.getClassSchema());
        assertThat(new RegistryAvroDeserializer<>(client, Alert.class).deserialize(topic, bytes)).isEqualTo(alert);
    }

    @Test
    void theSameSchemaGetsTheSameIdAndOneVersion() {
        SchemaRegistryClient other = new SchemaRegistryClient(client.config());
        byte[] first = new RegistryAvroSerializer<Alert>(client, false).serialize(topic, Samples.alert("a"));
        byte[] second = new RegistryAvroSerializer<Alert>(other, false).serialize(topic, Samples.alert("b"));

        assertThat(ConfluentWireFormat.schemaId(second)).isEqualTo(ConfluentWireFormat.schemaId(first));
        assertThat(client.versions(topic + "-value")).hasSize(1);
    }

    @Test
    void aVersionTwoWithADefaultedFieldAndVersionOneReadEachOther() throws IOException {
        client.setCompatibility(topic + "-value", "BACKWARD");
        Schema v1 = Alert.getClassSchema();
        Schema v2 = withField(v1, "runbookUrl", true);

        byte[] writtenByV1 = new RegistryAvroSerializer<Alert>(client, false).serialize(topic, Samples.alert("v1"));
        GenericRecord readByV2 = readGeneric(writtenByV1, v2);
        assertThat(readByV2.get("name").toString()).isEqualTo("v1");
        assertThat(readByV2.get("runbookUrl").toString()).isEqualTo("none");

        GenericRecord v2Record = copyInto(v2, Samples.alert("v2"));
        v2Record.put("runbookUrl", "https://runbooks.example/throttle");
        byte[] writtenByV2 = writeGeneric(topic, v2Record);
        Alert readByV1 = new RegistryAvroDeserializer<>(client, Alert.class).deserialize(topic, writtenByV2);
        assertThat(readByV1.getName()).isEqualTo("v2");
        assertThat(client.versions(topic + "-value")).hasSize(2);
    }

    @Test
    void aRecordThatFailsToSerializeLeavesNothingInTheNextOne() {
        RegistryAvroSerializer<Alert> serializer = new RegistryAvroSerializer<>(client, false);
        Alert broken = Samples.alert("broken");
        broken.put("receivedAt", null);   // a required field late in the record: most of it is already buffered

        assertThatThrownBy(() -> serializer.serialize(topic, broken)).isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining(topic);
        byte[] next = serializer.serialize(topic, Samples.alert("next"));
        assertThat(new RegistryAvroDeserializer<>(client, Alert.class).deserialize(topic, next)).isEqualTo(Samples.alert("next"));
    }

    @Test
    void anIncompatibleChangeIsRefusedUnderBackwardCompatibility() {
        client.setCompatibility(topic + "-value", "BACKWARD");
        client.register(topic + "-value", Alert.getClassSchema());
        Schema breaking = withField(Alert.getClassSchema(), "mandatoryOwner", false);

        assertThatThrownBy(() -> client.register(topic + "-value", breaking))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE);
                    assertThat(e.retryable()).isFalse();
                })
                .hasMessageContaining("incompatible")
                .hasMessageContaining(topic + "-value");
    }

    @Test
    void aBodyClaimingAStringLongerThanAvroReadsIsAClearSerializationError() {
        byte[] good = new RegistryAvroSerializer<Alert>(client, false).serialize(topic, Samples.alert("huge"));
        // the first field (alertId) claims 2^31 bytes: zig-zag 2^32 as a varint
        byte[] corrupt = ByteBuffer.allocate(ConfluentWireFormat.HEADER_SIZE + 5).put(good, 0, ConfluentWireFormat.HEADER_SIZE)
                .put(new byte[]{(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x10}).array();

        assertThatThrownBy(() -> new RegistryAvroDeserializer<>(client, Alert.class).deserialize(topic, corrupt))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .hasMessageContaining("does not match its schema");
    }

    @Test
    void anUnknownSchemaIdIsAClearError() {
        byte[] framed = ByteBuffer.allocate(6).put((byte) 0).putInt(987_654).put((byte) 0).array();

        assertThatThrownBy(() -> new RegistryAvroDeserializer<>(client, Alert.class).deserialize(topic, framed))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNKNOWN_ID))
                .hasMessageContaining("schema id 987654");
    }

    @Test
    void anUnreachableRegistryIsAClearRetryableError() {
        SchemaRegistryClient nowhere = new SchemaRegistryClient(RegistryConfig.of("http://127.0.0.1:" + FreePorts.next() + "/apis/ccompat/v7"));

        assertThatThrownBy(() -> new RegistryAvroSerializer<Alert>(nowhere, false).serialize(topic, Samples.alert("x")))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE);
                    assertThat(e.retryable()).isTrue();
                })
                .hasMessageContaining("unreachable");
    }

    @Test
    void configuredThroughKafkaPropertiesLikeConfluentsSerde(KafkaStack stack) {
        RegistryAvroSerializer<Alert> serializer = new RegistryAvroSerializer<>();
        serializer.configure(java.util.Map.of(RegistryConfig.URL, stack.schemaRegistryUrl()), false);
        RegistryAvroDeserializer<Alert> deserializer = new RegistryAvroDeserializer<>();
        deserializer.configure(java.util.Map.of(RegistryConfig.URL, stack.schemaRegistryUrl()), false);

        Alert alert = Samples.alert("by-properties");
        assertThat(deserializer.deserialize(topic, serializer.serialize(topic, alert))).isEqualTo(alert);
    }

    private static Schema withField(Schema base, String name, boolean withDefault) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(withDefault
                ? new Schema.Field(name, SchemaBuilder.builder().stringType(), null, "none")
                : new Schema.Field(name, SchemaBuilder.builder().stringType(), null, (Object) null));
        Schema evolved = Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
        return evolved;
    }

    private GenericRecord readGeneric(byte[] framed, Schema reader) throws IOException {
        Schema writer = client.schemaById(ConfluentWireFormat.schemaId(framed));
        return new GenericDatumReader<GenericRecord>(writer, reader).read(null,
                DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
    }

    private byte[] writeGeneric(String topic, GenericRecord record) throws IOException {
        int id = client.idFor(ConfluentWireFormat.subject(topic, false), record.getSchema());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static GenericRecord copyInto(Schema schema, Alert alert) {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field f : Alert.getClassSchema().getFields()) {
            Object value = alert.get(f.pos());
            if (value instanceof java.time.Instant instant) {
                value = instant.toEpochMilli();
            } else if (value instanceof Enum<?> e) {
                value = new GenericData.EnumSymbol(schema.getField(f.name()).schema(), e.name());
            }
            record.put(f.name(), value);
        }
        return record;
    }
}
