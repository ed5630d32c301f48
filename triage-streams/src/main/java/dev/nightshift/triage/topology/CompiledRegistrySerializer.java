package dev.nightshift.triage.topology;

import dev.nightshift.serde.ConfluentWireFormat;
import dev.nightshift.serde.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serializer of triage's output topics (team alerts, incidents, action requests, incident outcomes): the
 * Confluent wire format with the schema registered under {@code <topic>-value}, byte for byte what the registry
 * serde writes, but with the body written by a {@link CompiledAvro} writer into a reused array instead of Avro's
 * generic writer, which looks up union branches and enum symbols by name and boxes every timestamp. The alert
 * inside a team record is still copied from the bytes it was read from, and a record {@link LifecycleFastPath}
 * wrote as bytes ({@link EncodedOutputs}) is copied whole. A record of another schema than the class's own (or a
 * class the compiler does not handle) goes to the registry serde's serializer.
 */
final class CompiledRegistrySerializer<T extends SpecificRecord> implements Serializer<T> {
    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final CompiledAvro.ValueWriter writer;
    private final Serializer<T> fallback;
    private final Map<String, byte[]> headers = new ConcurrentHashMap<>();
    private final ByteArrayEncoder.Pool encoders = new ByteArrayEncoder.Pool();

    CompiledRegistrySerializer(SchemaRegistryClient registry, Class<T> type, Serializer<T> fallback) {
        this.registry = registry;
        this.schema = SpecificData.get().getSchema(type);
        this.writer = CompiledAvro.writerFor(schema).orElse(null);
        this.fallback = fallback;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (writer == null || record.getSchema() != schema) {
            return fallback.serialize(topic, record);
        }
        byte[] header = headers.get(topic);
        if (header == null) {
            header = ConfluentWireFormat.header(registry.idFor(ConfluentWireFormat.subject(topic, false), schema));
            headers.put(topic, header);
        }
        ByteArrayEncoder encoder = encoders.take();
        try {
            encoder.writeRaw(header);
            if (record instanceof EncodedOutputs.Encoded encoded) {
                encoder.writeFixed(encoded.body(), encoded.bodyOffset(), encoded.bodyLength());
                return encoder.toByteArray();
            }
            writer.write(record, encoder);
            return encoder.toByteArray();
        } catch (Exception e) {
            throw new SerializationException("could not write " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        } finally {
            encoders.give(encoder);
        }
    }
}
