package dev.nightshift.triage.topology;

import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.analytics.AnalyticsTopology;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.registry.InMemorySchemaRegistry;
import dev.nightshift.triage.testing.TriageDriver;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyNamesTest {
    private final TopologyDescription description = TriageTopology.build(TriageDriver.settings(
            new Topics(TopicNames.defaults(), dev.nightshift.serde.RegistryConfig.of(InMemorySchemaRegistry.shared().url())), LifecycleSettings.defaults(),
            ClassificationRules.none(), "unowned")).describe();

    @Test
    void storesRepartitionTopicAndProcessorsHaveStableNames() {
        Set<String> stores = new HashSet<>();
        Set<String> nodes = new HashSet<>();
        Set<String> topics = new HashSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                nodes.add(node.name());
                if (node instanceof TopologyDescription.Processor p) {
                    stores.addAll(p.stores());
                }
                if (node instanceof TopologyDescription.Source s) {
                    topics.addAll(s.topicSet());
                }
                if (node instanceof TopologyDescription.Sink s && s.topic() != null) {
                    topics.add(s.topic());
                }
            }
        }
        description.globalStores().forEach(g -> stores.addAll(g.processor().stores()));

        assertThat(stores).containsExactlyInAnyOrder(StoreNames.INCIDENTS, StoreNames.INCIDENT_ARCHIVE, StoreNames.OWNERSHIP,
                AnalyticsTopology.HISTORY_STORE);
        assertThat(topics).contains(StoreNames.OUTCOMES_BY_FINGERPRINT + "-repartition",
                StoreNames.APPROVALS_BY_FINGERPRINT + "-repartition", StoreNames.RESPONSES_BY_FINGERPRINT + "-repartition");
        assertThat(nodes).contains(StoreNames.ALERTS_SOURCE, StoreNames.OUTCOMES_SOURCE, StoreNames.TRIAGE_ALERTS,
                StoreNames.TRIAGE_OUTCOMES, StoreNames.APPROVALS_SOURCE, StoreNames.TRIAGE_APPROVALS, StoreNames.RESPONSES_SOURCE,
                StoreNames.TRIAGE_RESPONSES, "incidents-sink", "team-alerts-sink", "incident-outcomes-sink", "outcome-incidents-sink",
                "approval-incidents-sink", "response-incidents-sink", AnalyticsTopology.INCIDENTS_SOURCE,
                AnalyticsTopology.INCIDENT_OUTCOMES_SOURCE, AnalyticsTopology.RUNS_SOURCE, AnalyticsTopology.DELIVERIES_SOURCE,
                AnalyticsTopology.RECORD_INCIDENTS, AnalyticsTopology.RECORD_INCIDENT_OUTCOMES, AnalyticsTopology.RECORD_RUNS,
                AnalyticsTopology.RECORD_DELIVERIES, AnalyticsTopology.RECORD_STEPS, AnalyticsTopology.RECORD_RESPONSES);
        assertThat(nodes).noneMatch(name -> name.startsWith("KSTREAM-") || name.startsWith("KTABLE-"));
        assertThat(description.globalStores()).singleElement().satisfies(g -> {
            assertThat(g.source().name()).isEqualTo(StoreNames.OWNERSHIP_SOURCE);
            assertThat(g.processor().name()).isEqualTo(StoreNames.OWNERSHIP_UPDATER);
        });
    }

    @Test
    void alertsReachEveryOutputTopicInOneSubTopologyWithTheIncidentState() {
        TopologyDescription.Subtopology alertPath = description.subtopologies().stream()
                .filter(sub -> sub.nodes().stream().anyMatch(n -> n.name().equals(StoreNames.ALERTS_SOURCE)))
                .findFirst().orElseThrow();
        Set<String> names = alertPath.nodes().stream().map(TopologyDescription.Node::name).collect(Collectors.toSet());

        assertThat(names).contains(StoreNames.TRIAGE_ALERTS, StoreNames.TRIAGE_OUTCOMES, StoreNames.TRIAGE_APPROVALS,
                StoreNames.TRIAGE_RESPONSES, "incidents-sink", "team-alerts-sink", "incident-outcomes-sink");
        assertThat(names).noneMatch(name -> name.endsWith("-repartition-sink"));
        assertThat(description.subtopologies()).as("the alert path, the re-keying of approvals, and the analytics histories "
                + "with the re-keying of outcomes and responses (they share those topics' sources)").hasSize(3);
    }
}
