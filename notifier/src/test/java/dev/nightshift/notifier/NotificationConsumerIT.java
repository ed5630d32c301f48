package dev.nightshift.notifier;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The notifier service on a real broker and registry, posting to a local fake Slack webhook. */
@WithKafkaStack
class NotificationConsumerIT {
    private static final String HOOK = "/services/T1/B1/hook";

    @Test
    void incidentChangesAndStepOutcomesReachSlackButRepeatsDoNot(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("notifier") + ".";
        Topics topics = new Topics(TopicNames.withPrefix(prefix), RegistryConfig.of(stack.schemaRegistryUrl()));
        Topic<String, Incident> incidents = topics.incidents();
        Topic<String, RemediationOutcome> outcomes = topics.remediationOutcomes();
        stack.createTopics(2, incidents.name(), outcomes.name());
        WireMockServer slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        slack.stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));

        try (ApplicationContext notifier = ApplicationContext.run(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(),
                "nightshift.topics.prefix", prefix,
                "nightshift.notifier.group-id", KafkaStack.unique("notifier-group"),
                "nightshift.notifier.slack-webhook-url", slack.baseUrl() + HOOK));
             KafkaProducer<String, Incident> incidentProducer = producer(stack, incidents);
             KafkaProducer<String, RemediationOutcome> outcomeProducer = producer(stack, outcomes)) {
            incidentProducer.send(new ProducerRecord<>(incidents.name(), "inc-9", Records.incident("inc-9", "opened", IncidentState.OPEN, 1))).get();
            incidentProducer.send(new ProducerRecord<>(incidents.name(), "inc-9", Records.incident("inc-9", "repeated", IncidentState.OPEN, 2))).get();
            outcomeProducer.send(new ProducerRecord<>(outcomes.name(), "inc-9", Records.outcome("inc-9"))).get();
            incidentProducer.send(new ProducerRecord<>(incidents.name(), "inc-9", Records.incident("inc-9", "resolved", IncidentState.RESOLVED, 2))).get();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(slack.findAll(postRequestedFor(urlEqualTo(HOOK)))).hasSize(3));
            List<String> texts = slack.findAll(postRequestedFor(urlEqualTo(HOOK))).stream().map(LoggedRequest::getBodyAsString).toList();
            assertThat(texts).anySatisfy(t -> assertThat(t).contains("[OPEN]").contains("inc-9"));
            assertThat(texts).anySatisfy(t -> assertThat(t).contains("dynamodb-scale: PLANNED"));
            assertThat(texts).anySatisfy(t -> assertThat(t).contains("[RESOLVED]").contains("2 occurrences"));
        } finally {
            slack.stop();
        }
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, V> producer(KafkaStack stack, Topic<String, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringSerializer(), topic.valueSerde().serializer());
    }
}
