package dev.nightshift.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;

import java.io.IOException;

/**
 * Writes an unchanged {@link EncodedRecord} by copying the bytes it was read from, when the schema being written
 * equals the one those bytes are in. Avro binary has no framing around a nested record, so the copy is exactly what
 * encoding it field by field would produce (up to the order of map entries). For the writers of records that may
 * hold one: the registry serde's and triage's compiled one.
 */
public final class RecordSplicer {
    /** The last pair of distinct schema objects found equal (schemas are compared deeply only once per pair). */
    private volatile Match lastMatch;

    private record Match(Schema written, Schema encoded) {
    }

    /** Copies {@code datum}'s bytes to {@code out} and returns true, or returns false if it must be written field by field. */
    public boolean trySplice(Schema schema, Object datum, Encoder out) throws IOException {
        if (datum instanceof EncodedRecord encoded) {
            byte[] buffer = encoded.encodedBuffer();
            if (buffer != null && sameSchema(schema, encoded.encodedSchema())) {
                out.writeFixed(buffer, encoded.encodedOffset(), encoded.encodedLength());
                return true;
            }
        }
        return false;
    }

    private boolean sameSchema(Schema written, Schema encoded) {
        if (written == encoded) {
            return true;
        }
        Match match = lastMatch;
        if (match != null && match.written == written && match.encoded == encoded) {
            return true;
        }
        if (written.equals(encoded)) {
            lastMatch = new Match(written, encoded);
            return true;
        }
        return false;
    }
}
