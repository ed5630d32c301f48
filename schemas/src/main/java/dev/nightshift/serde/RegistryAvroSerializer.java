package dev.nightshift.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a {@link SpecificRecord} in the Confluent wire format, with its schema registered under
 * {@code <topic>-value} (or {@code -key}), byte for byte what Confluent's KafkaAvroSerializer writes.
 * It asks the registry once per topic and schema.
 */
public final class RegistryAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private SchemaRegistryClient client;
    private boolean isKey;
    private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();
    private final Map<String, Header> headers = new ConcurrentHashMap<>();

    static {
        TrustedSchemas.install();
    }

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public RegistryAvroSerializer() {
    }

    public RegistryAvroSerializer(SchemaRegistryClient client, boolean isKey) {
        this.client = client;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.client = SchemaRegistryClient.shared(RegistryConfig.from(configs));
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("serializer not configured: " + RegistryConfig.URL + " is required");
        }
        Schema schema = record.getSchema();
        Header header = headers.get(topic);
        if (header == null || header.schema != schema) {
            header = new Header(schema, client.idFor(ConfluentWireFormat.subject(topic, isKey), schema));
            headers.put(topic, header);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        out.writeBytes(header.bytes);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writers.computeIfAbsent(schema, SpecificDatumWriter::new).write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not write " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The framing of one topic's records: magic byte and schema id. */
    private static final class Header {
        final Schema schema;
        final byte[] bytes;

        Header(Schema schema, int id) {
            this.schema = schema;
            this.bytes = ConfluentWireFormat.header(id);
        }
    }
}
