package dev.nightshift.serde;

import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;

/** Confluent's framing: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro binary body. */
public final class ConfluentWireFormat {
    public static final byte MAGIC = 0;
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {
    }

    /** The schema id of a framed record. */
    public static int schemaId(byte[] framed) {
        if (framed.length < HEADER_SIZE) {
            throw new SerializationException("record of " + framed.length
                    + " bytes is too short for the Confluent wire format (magic byte, 4-byte schema id, body)");
        }
        if (framed[0] != MAGIC) {
            throw new SerializationException("unknown magic byte " + framed[0]
                    + ": the record is not in the Confluent Avro wire format");
        }
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    /** The header that goes before a body in the schema with this id: the magic byte and the id. */
    public static byte[] header(int schemaId) {
        return new byte[]{MAGIC, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8), (byte) schemaId};
    }

    /** The subject a topic's keys or values are registered under (the topic name strategy). */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
