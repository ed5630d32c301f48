package dev.nightshift.triage.service;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.serde.ConfluentWireFormat;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.testing.Alerts;
import dev.nightshift.triage.testing.RegistryRelay;
import dev.nightshift.triage.testing.TopicReader;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.nightshift.triage.service.TriageInstances.get;
import static dev.nightshift.triage.service.TriageInstances.streams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The schema registry goes away while an ownership change arrives in a schema triage has not read before. The
 * global store's thread cannot read it, and Streams cannot replace that thread: triage must neither stop nor
 * lose the change. It keeps routing alerts with the ownership as it stood, says so in /health, and applies the
 * change once the registry answers again. Triage reaches the real registry through a relay the test takes down.
 */
@WithKafkaStack
class OwnershipDuringRegistryOutageIT {
    @Test
    void anOwnershipChangeThatArrivesWhileTheRegistryIsDownAppliesWhenItIsBackAndAlertsKeepFlowing(KafkaStack stack) throws Exception {
        Topics topics = TriageInstances.pipelineTopics(stack, "outage", 2);
        String service = KafkaStack.unique("checkout");
        Map<String, String> labels = Map.of("service", service);
        try (RegistryRelay relay = RegistryRelay.to(stack.schemaRegistryUrl());
             EmbeddedServer instance = TriageInstances.start(stack, topics.names().prefix(), KafkaStack.unique("outage-app"),
                     Map.of("schema.registry.url", relay.url()));
             KafkaProducer<String, Alert> alerts = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     stack.bootstrapServers()), topics.alertsRaw().keySerde().serializer(), topics.alertsRaw().valueSerde().serializer());
             KafkaProducer<String, byte[]> ownership = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     stack.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
             TopicReader<String, TriagedAlert> payments = TopicReader.of(stack.bootstrapServers(), topics.teamAlerts("payments"));
             TopicReader<String, TriagedAlert> storefront = TopicReader.of(stack.bootstrapServers(), topics.teamAlerts("storefront"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> streams(instance).state() == KafkaStreams.State.RUNNING);
            Ownership owner = Ownership.newBuilder().setService(service).setTeam("payments").setResources(List.of("label:service=" + service))
                    .setUpdatedAt(Instant.now()).build();
            ownership.send(new ProducerRecord<>(topics.names().ownership(), service,
                    topics.ownership().valueSerde().serializer().serialize(topics.names().ownership(), owner))).get();
            String before = KafkaStack.unique("fp");
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                alerts.send(new ProducerRecord<>(topics.names().alertsRaw(), before, Alerts.firing(before, "checkout errors")
                        .setLabels(labels).build())).get();
                return payments.values().stream().anyMatch(t -> t.getAlert().getFingerprint().equals(before));
            });

            relay.down();
            ownership.send(new ProducerRecord<>(topics.names().ownership(), service, inNewerSchema(topics, service, "storefront"))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(instance, "/health").body().contains("waiting for the schema registry"));
            String during = KafkaStack.unique("fp");
            alerts.send(new ProducerRecord<>(topics.names().alertsRaw(), during, Alerts.firing(during, "checkout errors")
                    .setLabels(labels).build())).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> payments.values().stream()
                    .anyMatch(t -> t.getAlert().getFingerprint().equals(during)));
            assertThat(streams(instance).state()).as("triage still runs").isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(get(instance, "/health").statusCode()).isEqualTo(200);
            assertThat(relay.refused()).as("triage asked the registry and was refused").isPositive();

            relay.up();
            String after = KafkaStack.unique("fp");
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                alerts.send(new ProducerRecord<>(topics.names().alertsRaw(), after, Alerts.firing(after, "checkout errors")
                        .setLabels(labels).build())).get();
                return storefront.values().stream().anyMatch(t -> t.getAlert().getFingerprint().equals(after));
            });
            assertThat(storefront.values().stream().filter(t -> t.getAlert().getFingerprint().equals(after)).findFirst().orElseThrow()
                    .getOwner().getService()).isEqualTo(service);
            await().atMost(Duration.ofSeconds(10)).until(() -> !get(instance, "/health").body().contains("waiting for the schema registry"));
            assertThat(streams(instance).state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    /**
     * An ownership entry written as a newer producer would: the schema gains an optional field (a compatible change),
     * so it has an id of its own that triage's registry client has not fetched yet.
     */
    private static byte[] inNewerSchema(Topics topics, String service, String team) throws IOException {
        Schema current = Ownership.getClassSchema();
        List<Schema.Field> fields = new java.util.ArrayList<>();
        current.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("escalationPolicy", Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), null, org.apache.avro.JsonProperties.NULL_VALUE));
        Schema newer = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        int id = topics.registry().register(ConfluentWireFormat.subject(topics.names().ownership(), false), newer);
        GenericRecord entry = new GenericData.Record(newer);
        newer.getFields().stream().filter(Schema.Field::hasDefaultValue)
                .forEach(field -> entry.put(field.name(), GenericData.get().getDefaultValue(field)));
        entry.put("service", service);
        entry.put("team", team);
        entry.put("resources", List.of("label:service=" + service));
        entry.put("approvers", List.of());
        entry.put("updatedAt", Instant.now().toEpochMilli());
        entry.put("escalationPolicy", "page-secondary");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ConfluentWireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(newer).write(entry, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
