package dev.nightshift.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/** The registry-backed Avro serde of one record class. */
public final class RegistryAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {
    public RegistryAvroSerde(SchemaRegistryClient client, Class<T> type, boolean isKey) {
        super(new RegistryAvroSerializer<>(client, isKey), new RegistryAvroDeserializer<>(client, type));
    }
}
