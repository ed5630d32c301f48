package dev.nightshift.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.IOException;

/**
 * A {@link SpecificDatumWriter} that writes an unchanged {@link EncodedRecord} (at the top or nested)
 * by copying the bytes it was read from ({@link RecordSplicer}). Anything else is written as usual.
 */
final class SplicingDatumWriter<T> extends SpecificDatumWriter<T> {
    private final RecordSplicer splicer = new RecordSplicer();

    SplicingDatumWriter(Schema schema) {
        super(schema);
    }

    @Override
    protected void writeRecord(Schema schema, Object datum, Encoder out) throws IOException {
        if (!splicer.trySplice(schema, datum, out)) {
            super.writeRecord(schema, datum, out);
        }
    }
}
