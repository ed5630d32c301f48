package dev.nightshift.serde;

import org.apache.avro.Schema;

/**
 * A record that still holds the Avro binary it was read from. When such a record is written again,
 * whole or nested in another record, {@link RegistryAvroSerializer} copies those bytes instead of
 * encoding it field by field, provided the schema being written is the one the bytes are in. An
 * implementation must stop offering its bytes ({@link #encodedBuffer()} null) as soon as it changes.
 */
public interface EncodedRecord {
    /** The array holding the record's Avro binary, or null when there is none (or the record has changed). */
    byte[] encodedBuffer();

    /** Where the record's binary starts in {@link #encodedBuffer()}. */
    int encodedOffset();

    /** The length of the record's binary. */
    int encodedLength();

    /** The schema the binary is written in. */
    Schema encodedSchema();
}
