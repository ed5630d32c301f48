package dev.nightshift.triage.topology;

import org.apache.avro.Schema;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;

/**
 * Plain Avro binary of one record class, for the app's own state stores and their changelogs:
 * the schema is the class's own, so no registry round trip is needed. Written by a
 * {@link CompiledAvro} writer and reader (the same bytes as Avro's, faster). (Topics other services read
 * use the registry serde.)
 */
public final class AvroBinarySerde<T extends SpecificRecord> implements Serde<T> {
    static {
        // Avro loads only trusted classes by schema name; trust the pipeline's generated package too.
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                type -> "dev.nightshift.schema".equals(type.getPackageName())));
    }

    private final CompiledAvro.ValueWriter writer;
    private final CompiledAvro.ValueReader reader;
    private final ByteArrayEncoder.Pool encoders = new ByteArrayEncoder.Pool();

    public AvroBinarySerde(Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        SpecificDatumWriter<T> avroWriter = new SpecificDatumWriter<>(schema);
        @SuppressWarnings("unchecked")
        CompiledAvro.ValueWriter fallback = (value, out) -> avroWriter.write((T) value, out);
        this.writer = CompiledAvro.writerFor(schema).orElse(fallback);
        SpecificDatumReader<T> avroReader = new SpecificDatumReader<>(type);
        this.reader = CompiledAvro.readerFor(schema).orElse(in -> avroReader.read(null, in));
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : write(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    byte[] write(T value) {
        ByteArrayEncoder encoder = encoders.take();
        try {
            write(value, encoder);
            return encoder.toByteArray();
        } finally {
            encoders.give(encoder);
        }
    }

    void write(T value, Encoder encoder) {
        try {
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + value.getSchema().getFullName() + ": " + e.getMessage(), e);
        }
    }

    T read(byte[] bytes) {
        return read(new ByteArrayDecoder(bytes, 0, bytes.length));
    }

    T read(Decoder decoder) {
        try {
            @SuppressWarnings("unchecked")
            T value = (T) reader.read(decoder);
            return value;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read a state record: " + e.getMessage(), e);
        }
    }
}
