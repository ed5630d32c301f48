package dev.nightshift.serde;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads records in the Confluent wire format into a {@link SpecificRecord} class: the writer's
 * schema comes from the registry by id and is resolved against the class's own schema, so records
 * written with an older or newer compatible schema are read.
 */
public final class RegistryAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    /** Config key naming the class to read into; without it the class is found from the writer schema's name. */
    public static final String SPECIFIC_CLASS = "nightshift.specific.class";

    private SchemaRegistryClient client;
    private Class<T> type;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    static {
        TrustedSchemas.install();
    }

    public RegistryAvroDeserializer() {
    }

    public RegistryAvroDeserializer(SchemaRegistryClient client, Class<T> type) {
        this.client = client;
        this.type = type;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.client = SchemaRegistryClient.shared(RegistryConfig.from(configs));
        Object name = configs.get(SPECIFIC_CLASS);
        if (name instanceof Class<?> c) {
            this.type = (Class<T>) c;
        } else if (name != null) {
            try {
                this.type = (Class<T>) Class.forName(name.toString());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException(SPECIFIC_CLASS + " names an unknown class: " + name, e);
            }
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        return read(topic, data);
    }

    private T read(String topic, byte[] data) {
        if (client == null) {
            throw new IllegalStateException("deserializer not configured: " + RegistryConfig.URL + " is required");
        }
        int id = ConfluentWireFormat.schemaId(data);
        SpecificDatumReader<T> reader = readers.computeIfAbsent(id, this::readerFor);
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentWireFormat.HEADER_SIZE,
                    data.length - ConfluentWireFormat.HEADER_SIZE, null);
            return reader.read(null, decoder);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | UnsupportedOperationException
                 | NegativeArraySizeException | ClassCastException e) {
            // Avro reports some corrupt lengths as UnsupportedOperationException ("cannot read strings longer than ...")
            throw new SerializationException("could not read a record with schema id " + id + " from topic " + topic
                    + ": the body does not match its schema (" + e.getMessage() + ")", e);
        }
    }

    @SuppressWarnings("unchecked")
    private SpecificDatumReader<T> readerFor(int id) {
        Schema writer = client.schemaById(id);
        Class<T> target = type;
        if (target == null) {
            target = (Class<T>) SpecificData.get().getClass(writer);
            if (target == null) {
                throw new SerializationException("no class on the classpath for " + writer.getFullName() + " (schema id " + id + ")");
            }
        }
        Schema reader = SpecificData.get().getSchema(target);
        if (type != null && !writer.getFullName().equals(reader.getFullName()) && !reader.getAliases().contains(writer.getFullName())) {
            throw new SerializationException("schema id " + id + " is " + writer.getFullName() + ", expected " + reader.getFullName());
        }
        return new SpecificDatumReader<>(writer, reader);
    }
}
