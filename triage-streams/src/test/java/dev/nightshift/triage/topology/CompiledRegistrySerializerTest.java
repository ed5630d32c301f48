package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.serde.RegistryAvroSerializer;
import dev.nightshift.serde.SchemaRegistryClient;
import dev.nightshift.triage.testing.InMemorySchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Triage's output serializer writes byte for byte what the registry serde writes, for every output record and topic. */
class CompiledRegistrySerializerTest {
    private final SchemaRegistryClient registry = InMemorySchemaRegistry.shared().client();
    private final String prefix = "crs-" + UUID.randomUUID() + ".";

    private <T extends SpecificRecord> void assertSameBytesAsTheRegistrySerde(Class<T> type, String topic, T record) {
        RegistryAvroSerializer<T> serde = new RegistryAvroSerializer<>(registry, false);
        CompiledRegistrySerializer<T> compiled = new CompiledRegistrySerializer<>(registry, type, serde);
        byte[] bytes = compiled.serialize(topic, record);
        assertThat(bytes).as("%s on %s", type.getSimpleName(), topic).isEqualTo(serde.serialize(topic, record));
        assertThat(new RegistryAvroDeserializer<>(registry, type).deserialize(topic, bytes)).isEqualTo(record);
    }

    @Test
    void writesWhatTheRegistrySerdeWritesForEveryOutputRecord() {
        for (Class<? extends SpecificRecord> type : List.of(TriagedAlert.class, Incident.class, RemediationRequest.class,
                IncidentOutcome.class)) {
            Schema schema = SpecificData.get().getSchema(type);
            assertThat(CompiledAvro.writerFor(schema)).as("a compiled writer for %s", type.getSimpleName()).isPresent();
            for (boolean optionalsSet : new boolean[]{true, false}) {
                for (int variant = 0; variant < 3; variant++) {
                    write(type, prefix + type.getSimpleName(), CompiledAvroTest.sample(schema, optionalsSet, variant));
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> void write(Class<T> type, String topic, Object record) {
        assertSameBytesAsTheRegistrySerde(type, topic, (T) record);
    }

    @Test
    void eachTopicGetsItsOwnSubjectsSchemaId() {
        TriagedAlert record = (TriagedAlert) CompiledAvroTest.sample(TriagedAlert.getClassSchema(), true, 1);
        // a subject registered first under another schema gives the team topics different ids
        registry.idFor(prefix + "team.b.alerts-value", Incident.getClassSchema());
        assertSameBytesAsTheRegistrySerde(TriagedAlert.class, prefix + "team.a.alerts", record);
        assertSameBytesAsTheRegistrySerde(TriagedAlert.class, prefix + "team.b.alerts", record);
    }

    @Test
    void theAlertInATeamRecordIsCopiedFromTheBytesItWasReadFromUnlessItChanged() {
        RegistryAvroSerializer<Alert> alerts = new RegistryAvroSerializer<>(registry, false);
        Alert original = (Alert) CompiledAvroTest.sample(Alert.getClassSchema(), true, 2);
        Alert other = (Alert) CompiledAvroTest.sample(Alert.getClassSchema(), true, 1);
        EncodedAlertDeserializer reader = new EncodedAlertDeserializer(registry);
        EncodedAlert read = (EncodedAlert) reader.deserialize(prefix + "alerts.raw", alerts.serialize(prefix + "alerts.raw", original));
        assertThat(read.encodedBuffer()).isNotNull();
        TriagedAlert team = (TriagedAlert) CompiledAvroTest.sample(TriagedAlert.getClassSchema(), true, 0);
        team.setAlert(read);
        assertSameBytesAsTheRegistrySerde(TriagedAlert.class, prefix + "team.a.alerts", team);

        // the bytes are what gets written: an alert holding another alert's bytes comes out as that other alert
        byte[] otherBytes = alerts.serialize(prefix + "alerts.raw", other);
        EncodedAlert holdingOther = (EncodedAlert) reader.deserialize(prefix + "alerts.raw", alerts.serialize(prefix + "alerts.raw", original));
        holdingOther.encodedAs(otherBytes, 5, otherBytes.length - 5);
        team.setAlert(holdingOther);
        CompiledRegistrySerializer<TriagedAlert> compiled = new CompiledRegistrySerializer<>(registry, TriagedAlert.class,
                new RegistryAvroSerializer<>(registry, false));
        TriagedAlert written = new RegistryAvroDeserializer<>(registry, TriagedAlert.class)
                .deserialize(prefix + "team.a.alerts", compiled.serialize(prefix + "team.a.alerts", team));
        assertThat(written.getAlert()).isEqualTo(other);

        // a changed alert is written from its fields
        holdingOther.setTitle("changed");
        assertThat(holdingOther.encodedBuffer()).isNull();
        written = new RegistryAvroDeserializer<>(registry, TriagedAlert.class)
                .deserialize(prefix + "team.a.alerts", compiled.serialize(prefix + "team.a.alerts", team));
        assertThat(written.getAlert().getTitle()).isEqualTo("changed");
        assertThat(written.getAlert().getAlertId()).isEqualTo(original.getAlertId());
    }
}
