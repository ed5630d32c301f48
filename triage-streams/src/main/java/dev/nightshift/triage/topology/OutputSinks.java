package dev.nightshift.triage.topology;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.lifecycle.TriageOutput;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The output topics of a triage processor, one named sink each; the processor forwards each record
 * straight to the sink of its topic (no branching nodes on the hot path), keyed by incident id.
 */
final class OutputSinks {
    static final String INCIDENTS = "incidents-sink";
    static final String TEAM_ALERTS = "team-alerts-sink";
    static final String INCIDENT_OUTCOMES = "incident-outcomes-sink";

    private OutputSinks() {
    }

    /** Adds the three sinks, named {@code prefix + name}, as children of {@code outputs}. */
    static void attach(KStream<String, SpecificRecord> outputs, Topics topics, String prefix) {
        outputs.to(topics.incidents().name(), produced(topics, Incident.class, prefix + INCIDENTS));
        TopicNameCache teamTopics = new TopicNameCache(topics.names()::teamAlerts);
        outputs.to((id, alert, context) -> teamTopics.topic(((TriagedAlert) alert).getOwner().getTeam()),
                produced(topics, TriagedAlert.class, prefix + TEAM_ALERTS));
        outputs.to(topics.incidentOutcomes().name(), produced(topics, IncidentOutcome.class, prefix + INCIDENT_OUTCOMES));
    }

    /** Forwards one lifecycle output to the sink of its topic. */
    static void forward(ProcessorContext<String, SpecificRecord> context, String prefix, TriageOutput output, long timestamp) {
        SpecificRecord value;
        String sink;
        if (output instanceof TriageOutput.IncidentChanged c) {
            value = c.incident();
            sink = INCIDENTS;
        } else if (output instanceof TriageOutput.Routed r) {
            value = r.alert();
            sink = TEAM_ALERTS;
        } else {
            value = ((TriageOutput.Closed) output).outcome();
            sink = INCIDENT_OUTCOMES;
        }
        context.forward(new Record<>(output.incidentId(), value, timestamp), prefix + sink);
    }

    /**
     * Topic names by team, built and checked once per name rather than once per record. Bounded: team
     * names can come from alerts' own hints, so past {@code MAX} names a name is built each time instead.
     */
    private static final class TopicNameCache {
        private static final int MAX = 10_000;
        private final Map<String, String> names = new ConcurrentHashMap<>();
        private final Function<String, String> build;

        TopicNameCache(Function<String, String> build) {
            this.build = build;
        }

        String topic(String part) {
            String name = names.get(part);
            if (name == null) {
                name = build.apply(part);
                if (names.size() < MAX) {
                    names.put(part, name);
                }
            }
            return name;
        }
    }

    /** A sink's serdes: the topic registry's serde of the records the sink receives. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T extends SpecificRecord> Produced<String, SpecificRecord> produced(Topics topics, Class<T> type, String name) {
        return Produced.with(Serdes.String(), (Serde<SpecificRecord>) (Serde) topics.valueSerde(type)).withName(name);
    }
}
