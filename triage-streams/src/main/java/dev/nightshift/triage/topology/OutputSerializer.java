package dev.nightshift.triage.topology;

import dev.nightshift.serde.ConfluentWireFormat;
import dev.nightshift.serde.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serializer of triage's output records, on the hot path: the same bytes as the pipeline's
 * {@code RegistryAvroSerializer} (Confluent wire format, schema registered under
 * {@code <topic>-value}), written through a per-thread buffer and a buffered encoder, with the schema
 * id looked up once per topic. Readers use the pipeline's deserializer unchanged.
 */
public final class OutputSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, byte[]> headerByTopic = new ConcurrentHashMap<>();

    public OutputSerializer(SchemaRegistryClient registry, Class<T> type) {
        this.registry = registry;
        this.schema = SpecificData.get().getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema);
    }

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        byte[] header = headerByTopic.computeIfAbsent(topic, this::header);
        AvroBinarySerde.Buffer buffer = AvroBinarySerde.BUFFER.get();
        buffer.out.reset();
        buffer.out.writeBytes(header);
        buffer.encoder = EncoderFactory.get().binaryEncoder(buffer.out, buffer.encoder);
        BinaryEncoder encoder = buffer.encoder;
        try {
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not write " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return buffer.out.toByteArray();
    }

    private byte[] header(String topic) {
        int id = registry.idFor(ConfluentWireFormat.subject(topic, false), schema);
        return new byte[]{ConfluentWireFormat.MAGIC, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }
}
