package dev.nightshift.triage.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.schema.FingerprintState;
import dev.nightshift.schema.Incident;
import dev.nightshift.serde.ConfluentWireFormat;
import dev.nightshift.serde.SchemaRegistryClient;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.triage.testing.Alerts;
import dev.nightshift.triage.testing.TriageDriver;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import static dev.nightshift.triage.testing.TriageDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored fingerprint state can evolve: every stored state names its writer schema (the Confluent
 * wire format through the registry), so a version of triage whose Incident or FingerprintState has a
 * new field with a default reads every state written before it, and today's triage reads states
 * written before today's last added fields.
 */
class FingerprintStateEvolutionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANGELOG = "triage-test-" + StoreNames.INCIDENTS + "-changelog";

    private final TriageDriver triage = new TriageDriver(LifecycleSettings.defaults(), ClassificationRules.none(), "unowned");
    private final SchemaRegistryClient registry = triage.topics().registry();

    @AfterEach
    void close() {
        triage.close();
    }

    @Test
    void statesWrittenNowAreReadByASchemaWithANewDefaultedFieldInTheIncidentAndInTheState() throws IOException {
        triage.send(Alerts.firing("fp-evolve-1", "orders table throttled").build(), T0);
        triage.send(Alerts.firing("fp-evolve-1", "orders table throttled").build(), T0.plusSeconds(30));
        triage.send(Alerts.firing("fp-evolve-2", "checkout 5xx").build(), T0.plusSeconds(40));
        triage.send(Alerts.resolved("fp-evolve-2", "checkout 5xx").build(), T0.plusSeconds(100));
        List<TestRecord<String, byte[]>> stored = triage.driver()
                .createOutputTopic(CHANGELOG, new StringDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
        assertThat(stored).hasSize(4);

        Schema evolved = withField(withIncidentField(FingerprintState.getClassSchema(), "runbookUrl", "none"),
                "acknowledgedBy", "nobody");
        for (TestRecord<String, byte[]> record : stored) {
            GenericRecord read = readGeneric(record.value(), evolved);
            FingerprintState asWritten = stateSerde().deserializer().deserialize(CHANGELOG, record.value());
            GenericRecord incident = (GenericRecord) read.get("incident");

            assertThat(read.get("acknowledgedBy").toString()).isEqualTo("nobody");
            assertThat(incident.get("runbookUrl").toString()).isEqualTo("none");
            assertThat(incident.get("incidentId").toString()).isEqualTo(asWritten.getIncident().getIncidentId());
            assertThat(incident.get("occurrences")).isEqualTo(asWritten.getIncident().getOccurrences());
            assertThat(incident.get("state").toString()).isEqualTo(asWritten.getIncident().getState().name());
            assertThat(read.get("lastHandledAt")).isEqualTo(asWritten.getLastHandledAt());
        }
        FingerprintState last = stateSerde().deserializer().deserialize(CHANGELOG, stored.get(3).value());
        assertThat(last.getIncident().getResolvedAt()).isEqualTo(T0.plusSeconds(100));
    }

    @Test
    void statesWrittenBeforeAFieldWasAddedAreReadWithItsDefault() throws IOException {
        Schema older = without(withoutIncidentField(FingerprintState.getClassSchema(), "title"), "lastStateChangeAt");
        triage.send(Alerts.firing("fp-evolve-3", "orders table throttled").setTitle("Orders throttled").build(), T0);
        byte[] current = triage.driver().createOutputTopic(CHANGELOG, new StringDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList().get(0).value();
        GenericRecord writtenByOlder = readGeneric(current, older);

        byte[] olderBytes = writeGeneric(CHANGELOG, writtenByOlder);
        FingerprintState read = stateSerde().deserializer().deserialize(CHANGELOG, olderBytes);

        assertThat(ConfluentWireFormat.schemaId(olderBytes)).isNotEqualTo(ConfluentWireFormat.schemaId(current));
        assertThat(read.getLastStateChangeAt()).as("the default of a field the writer did not have").isZero();
        assertThat(read.getIncident().getTitle()).isNull();
        assertThat(read.getIncident().getIncidentId()).startsWith("fp-evolve-3-");
        assertThat(read.getIncident().getOpenedAt()).isEqualTo(T0);
        assertThat(read.getLastAlertState()).hasToString("FIRING");
    }

    private Serde<FingerprintState> stateSerde() {
        return triage.topics().valueSerde(FingerprintState.class);
    }

    private GenericRecord readGeneric(byte[] framed, Schema reader) throws IOException {
        Schema writer = registry.schemaById(ConfluentWireFormat.schemaId(framed));
        return new GenericDatumReader<GenericRecord>(writer, reader, GenericData.get()).read(null,
                DecoderFactory.get().binaryDecoder(framed, ConfluentWireFormat.HEADER_SIZE, framed.length - ConfluentWireFormat.HEADER_SIZE, null));
    }

    private byte[] writeGeneric(String topic, GenericRecord record) throws IOException {
        int id = registry.idFor(ConfluentWireFormat.subject(topic, false), record.getSchema());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** The state's schema with a string field added to the state, with a default. */
    private static Schema withField(Schema state, String name, String defaultValue) {
        ObjectNode json = parse(state);
        ((ArrayNode) json.get("fields")).addObject().put("name", name).put("type", "string").put("default", defaultValue);
        return new Schema.Parser().parse(json.toString());
    }

    /** The state's schema with a string field added to the incident inside it, with a default. */
    private static Schema withIncidentField(Schema state, String name, String defaultValue) {
        ObjectNode json = parse(state);
        ((ArrayNode) incident(json).get("fields")).addObject().put("name", name).put("type", "string").put("default", defaultValue);
        return new Schema.Parser().parse(json.toString());
    }

    private static Schema without(Schema state, String field) {
        ObjectNode json = parse(state);
        remove((ArrayNode) json.get("fields"), field);
        return new Schema.Parser().parse(json.toString());
    }

    private static Schema withoutIncidentField(Schema state, String field) {
        ObjectNode json = parse(state);
        remove((ArrayNode) incident(json).get("fields"), field);
        return new Schema.Parser().parse(json.toString());
    }

    private static void remove(ArrayNode fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals(name)) {
                fields.remove(i);
                return;
            }
        }
        throw new IllegalArgumentException("no field " + name);
    }

    /** The Incident record's definition inside the state's schema: the second branch of the incident field's union. */
    private static ObjectNode incident(ObjectNode state) {
        for (JsonNode field : state.get("fields")) {
            if (field.get("name").asText().equals("incident")) {
                ObjectNode incident = (ObjectNode) field.get("type").get(1);
                assertThat(incident.get("name").asText()).isEqualTo(Incident.getClassSchema().getName());
                return incident;
            }
        }
        throw new IllegalStateException("no incident field in " + state);
    }

    private static ObjectNode parse(Schema schema) {
        try {
            return (ObjectNode) JSON.readTree(schema.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
