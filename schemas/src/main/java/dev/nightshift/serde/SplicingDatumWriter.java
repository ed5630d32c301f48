package dev.nightshift.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.IOException;

/**
 * A {@link SpecificDatumWriter} that writes an unchanged {@link EncodedRecord} (at the top or nested)
 * by copying the bytes it was read from, when the schema being written equals the one those bytes are
 * in. Avro binary has no framing around a nested record, so the copy is exactly what encoding it
 * field by field would produce (up to the order of map entries). Anything else is written as usual.
 */
final class SplicingDatumWriter<T> extends SpecificDatumWriter<T> {
    /** The last pair of distinct schema objects found equal (schemas are compared deeply only once per pair). */
    private volatile Match lastMatch;

    private record Match(Schema written, Schema encoded) {
    }

    SplicingDatumWriter(Schema schema) {
        super(schema);
    }

    @Override
    protected void writeRecord(Schema schema, Object datum, Encoder out) throws IOException {
        if (datum instanceof EncodedRecord encoded) {
            byte[] buffer = encoded.encodedBuffer();
            if (buffer != null && sameSchema(schema, encoded.encodedSchema())) {
                out.writeFixed(buffer, encoded.encodedOffset(), encoded.encodedLength());
                return;
            }
        }
        super.writeRecord(schema, datum, out);
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
