package dev.nightshift.triage.topology;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Plain Avro binary of one record class, for the app's own state stores and their changelogs:
 * the schema is the class's own, so no registry round trip is needed. (Topics other services read
 * use the registry serde.)
 */
public final class AvroBinarySerde<T extends SpecificRecord> implements Serde<T> {
    static {
        // Avro loads only trusted classes by schema name; trust the pipeline's generated package too.
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                type -> "dev.nightshift.schema".equals(type.getPackageName())));
    }

    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    public AvroBinarySerde(Class<T> type) {
        this.writer = new SpecificDatumWriter<>(SpecificData.get().getSchema(type));
        this.reader = new SpecificDatumReader<>(type);
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
        Buffer buffer = BUFFER.get();
        buffer.out.reset();
        buffer.encoder = EncoderFactory.get().binaryEncoder(buffer.out, buffer.encoder);
        write(value, buffer.encoder);
        return buffer.out.toByteArray();
    }

    /** A per-thread output buffer and buffered encoder: serializing allocates only the result. */
    static final class Buffer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        BinaryEncoder encoder;
    }

    static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

    void write(T value, BinaryEncoder encoder) {
        try {
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new SerializationException("cannot write " + value.getSchema().getFullName(), e);
        }
    }

    T read(byte[] bytes) {
        return read(DecoderFactory.get().binaryDecoder(bytes, null));
    }

    T read(BinaryDecoder decoder) {
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read a state record: " + e.getMessage(), e);
        }
    }
}
