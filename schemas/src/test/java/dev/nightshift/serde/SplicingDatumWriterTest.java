package dev.nightshift.serde;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Severity;
import dev.nightshift.schema.TriagedAlert;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An alert nested in a team record is copied from the bytes it was read from only when those are in the schema being written. */
class SplicingDatumWriterTest {
    static {
        TrustedSchemas.install();
    }

    /** An alert whose fields say one thing and whose kept bytes another, to see which of them is written. */
    private static final class KeptAlert extends Alert implements EncodedRecord {
        private final byte[] buffer;
        private final Schema schema;

        KeptAlert(Alert fields, byte[] buffer, Schema schema) {
            super(fields.getAlertId(), fields.getSource(), fields.getFingerprint(), fields.getState(), fields.getSeverity(),
                    fields.getName(), fields.getTitle(), fields.getDescription(), fields.getService(), fields.getTeam(),
                    fields.getResource(), fields.getPlaybook(), fields.getLabels(), fields.getAnnotations(), fields.getAccount(),
                    fields.getRegion(), fields.getMetricNamespace(), fields.getMetricName(), fields.getLink(), fields.getSourceId(),
                    fields.getOccurredAt(), fields.getReceivedAt(), fields.getStartsAt(), fields.getEndsAt());
            this.buffer = buffer;
            this.schema = schema;
        }

        @Override
        public byte[] encodedBuffer() {
            return buffer;
        }

        @Override
        public int encodedOffset() {
            return 3;
        }

        @Override
        public int encodedLength() {
            return buffer.length - 3;
        }

        @Override
        public Schema encodedSchema() {
            return schema;
        }
    }

    private static byte[] encode(Alert alert, int padding) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[padding]);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(Alert.class).write(alert, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static TriagedAlert roundTrip(Alert nested) throws IOException {
        TriagedAlert record = TriagedAlert.newBuilder().setIncidentId("fp-1-1").setIncidentState(IncidentState.OPEN)
                .setChange("opened").setOccurrences(1).setSeverity(Severity.HIGH)
                .setOwner(new Owner("payments", null, null, null, null)).setLinks(List.of()).setAlert(nested)
                .setTriagedAt(Instant.parse("2026-11-21T03:00:01Z")).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SplicingDatumWriter<TriagedAlert>(TriagedAlert.getClassSchema()).write(record, encoder);
        encoder.flush();
        return new SpecificDatumReader<>(TriagedAlert.class).read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    @Test
    void keptBytesInTheSchemaBeingWrittenAreCopied() throws IOException {
        Alert fields = Samples.alert("fields");
        Alert kept = Samples.alert("kept-bytes");

        TriagedAlert read = roundTrip(new KeptAlert(fields, encode(kept, 3), Alert.getClassSchema()));

        assertThat(read.getAlert()).isEqualTo(kept);
        assertThat(read.getTriagedAt()).isEqualTo(Instant.parse("2026-11-21T03:00:01Z"));
    }

    @Test
    void keptBytesInAnotherSchemaAreIgnoredAndTheFieldsEncoded() throws IOException {
        Schema other = SchemaBuilder.record("Alert").namespace("dev.nightshift.schema").fields()
                .requiredString("alertId").endRecord();
        Alert fields = Samples.alert("fields");

        TriagedAlert read = roundTrip(new KeptAlert(fields, encode(Samples.alert("kept-bytes"), 3), other));

        assertThat(read.getAlert()).isEqualTo(fields);
    }

    @Test
    void anAlertWithoutKeptBytesIsEncodedAsUsual() throws IOException {
        Alert plain = Samples.alert("plain");
        assertThat(roundTrip(plain).getAlert()).isEqualTo(plain);
    }
}
