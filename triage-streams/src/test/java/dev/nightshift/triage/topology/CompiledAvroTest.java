package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.triage.lifecycle.FingerprintState;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compiled writer writes byte for byte what Avro's own writer writes, and the compiled reader reads it as Avro's reader does, for every record the pipeline has. */
class CompiledAvroTest {
    static {
        new AvroBinarySerde<>(Alert.class);   // trusts the generated package
    }

    private static final List<Class<? extends SpecificRecord>> RECORDS = List.of(Alert.class, Incident.class,
            TriagedAlert.class, RemediationRequest.class, RemediationOutcome.class, ApprovalDecision.class, IncidentOutcome.class);

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesWhatAvrosWriterWrites(boolean optionalsSet) throws IOException {
        for (Class<? extends SpecificRecord> type : RECORDS) {
            Schema schema = SpecificData.get().getSchema(type);
            for (int variant = 0; variant < 3; variant++) {
                SpecificRecord record = (SpecificRecord) sample(schema, optionalsSet, variant);
                CompiledAvro.ValueWriter compiled = CompiledAvro.writerFor(schema).orElseThrow();

                byte[] avros = encode(out -> new SpecificDatumWriter<SpecificRecord>(schema).write(record, out));
                assertThat(encode(out -> compiled.write(record, out)))
                        .as("%s, optionals %s, variant %d", type.getSimpleName(), optionalsSet ? "set" : "null", variant)
                        .isEqualTo(avros);
                ByteArrayEncoder stores = new ByteArrayEncoder();
                compiled.write(record, stores);
                assertThat(stores.toByteArray()).as("%s through the stores' encoder", type.getSimpleName()).isEqualTo(avros);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readsWhatAvrosWriterWroteAsAvrosReaderReadsIt(boolean optionalsSet) throws IOException {
        for (Class<? extends SpecificRecord> type : RECORDS) {
            Schema schema = SpecificData.get().getSchema(type);
            for (int variant = 0; variant < 3; variant++) {
                SpecificRecord record = (SpecificRecord) sample(schema, optionalsSet, variant);
                byte[] bytes = encode(out -> new SpecificDatumWriter<SpecificRecord>(schema).write(record, out));
                CompiledAvro.ValueReader compiled = CompiledAvro.readerFor(schema).orElseThrow();

                Object read = compiled.read(DecoderFactory.get().binaryDecoder(bytes, null));
                Object avros = new SpecificDatumReader<>(schema).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
                assertThat(read).as("%s, optionals %s, variant %d", type.getSimpleName(), optionalsSet ? "set" : "null", variant)
                        .isInstanceOf(type).isEqualTo(record).isEqualTo(avros);
                ByteArrayDecoder stores = new ByteArrayDecoder(bytes, 0, bytes.length);
                assertThat(compiled.read(stores)).as("%s through the stores' decoder", type.getSimpleName()).isEqualTo(record);
                assertThat(stores.isEnd()).isTrue();
            }
        }
    }

    @Test
    void aTruncatedStateRecordIsAClearError() {
        AvroBinarySerde<Incident> serde = new AvroBinarySerde<>(Incident.class);
        byte[] bytes = serde.serializer().serialize("t", (Incident) sample(Incident.getClassSchema(), true, 1));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", truncated))
                .isInstanceOf(SerializationException.class).hasMessageContaining("cannot read a state record");
    }

    @Test
    void theStoreSerdeReadsBackWhatItWrote() {
        AvroBinarySerde<Incident> serde = new AvroBinarySerde<>(Incident.class);
        Incident incident = (Incident) sample(Incident.getClassSchema(), true, 1);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", incident))).isEqualTo(incident);
    }

    @Test
    void aMissingRequiredFieldIsAClearError() {
        Incident incident = (Incident) sample(Incident.getClassSchema(), true, 0);
        incident.setLastAlertId(null);
        AvroBinarySerde<Incident> serde = new AvroBinarySerde<>(Incident.class);
        assertThatThrownBy(() -> serde.serializer().serialize("t", incident))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Incident.lastAlertId");
    }

    @Test
    void aFailedWriteLeavesNothingBehindForTheNextOnTheSameThread() {
        AvroBinarySerde<Incident> serde = new AvroBinarySerde<>(Incident.class);
        FingerprintStateSerde states = new FingerprintStateSerde();
        Incident broken = (Incident) sample(Incident.getClassSchema(), true, 0);
        broken.setLastAlertId(null);   // fails late in the record, after most fields are buffered
        Incident valid = (Incident) sample(Incident.getClassSchema(), false, 2);
        FingerprintState state = new FingerprintState(valid, List.of(1L, 2L), null, false, true, 1, null, 3L, 4L, List.of("r-1"));

        assertThatThrownBy(() -> serde.serializer().serialize("t", broken)).isInstanceOf(SerializationException.class);
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", valid))).isEqualTo(valid);

        FingerprintState brokenState = new FingerprintState(broken, List.of(), null, false, false, 0, null, 0L, 0L, List.of());
        assertThatThrownBy(() -> states.serializer().serialize("t", brokenState)).isInstanceOf(SerializationException.class);
        FingerprintState read = states.deserializer().deserialize("t", states.serializer().serialize("t", state));
        assertThat(read.incident()).isEqualTo(valid);
        assertThat(read.transitions()).containsExactly(1L, 2L);
        assertThat(read.countedRequests()).containsExactly("r-1");
    }

    @Test
    void aSchemaWithAnUnsupportedUnionGetsNoCompiledWriter() {
        Schema twoTypes = SchemaBuilder.record("R").fields().name("v").type().unionOf().stringType().and().longType().endUnion()
                .noDefault().endRecord();
        assertThat(CompiledAvro.writerFor(twoTypes)).isEmpty();
        assertThat(CompiledAvro.readerFor(twoTypes)).isEmpty();
    }

    @FunctionalInterface
    private interface Body {
        void write(BinaryEncoder out) throws IOException;
    }

    private static byte[] encode(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        body.write(encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    /** A value of every field, from the schema: strings, numbers, enums (first, second, last symbol), maps, lists, nested records. */
    static Object sample(Schema schema, boolean optionalsSet, int variant) {
        return switch (schema.getType()) {
            case RECORD -> {
                SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), sample(field.schema(), optionalsSet, variant + field.pos()));
                }
                yield record;
            }
            case UNION -> {
                Schema value = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
                yield optionalsSet ? sample(value, true, variant) : null;
            }
            case STRING -> "välue-" + variant + "-" + "x".repeat(variant * 7);
            case LONG -> schema.getLogicalType() != null ? Instant.ofEpochMilli(1_763_700_000_000L + variant * 1_234_567L)
                    : (long) (variant % 2 == 0 ? variant * 1_000_003L : -variant);
            case INT -> variant * 31 - 40;
            case BOOLEAN -> variant % 2 == 0;
            case DOUBLE -> variant * 1.5;
            case ENUM -> {
                Object[] constants = SpecificData.get().getClass(schema).getEnumConstants();
                yield constants[variant % constants.length];
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < variant % 3 + (optionalsSet ? 1 : 0); i++) {
                    map.put("k" + i, sample(schema.getValueType(), optionalsSet, variant + i));
                }
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < variant % 3 + (optionalsSet ? 1 : 0); i++) {
                    list.add(sample(schema.getElementType(), optionalsSet, variant + i));
                }
                yield list;
            }
            default -> throw new IllegalArgumentException("no sample for " + schema.getType());
        };
    }
}
