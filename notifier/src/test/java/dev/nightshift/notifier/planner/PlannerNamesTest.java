package dev.nightshift.notifier.planner;

import dev.nightshift.registry.InMemorySchemaRegistry;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PlannerNamesTest {
    @Test
    void storesRepartitionTopicsAndProcessorsHaveStableNames() {
        Topics topics = new Topics(TopicNames.defaults(), RegistryConfig.of(InMemorySchemaRegistry.shared().url()));
        TopologyDescription description = PlannerTopology.build(new PlannerTopology.Settings(topics, PlannerDriver.POLICY, team -> false,
                Duration.ofSeconds(1), Duration.ofDays(7), null, false)).describe();
        Set<String> stores = new HashSet<>();
        Set<String> nodes = new HashSet<>();
        Set<String> sinks = new HashSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                nodes.add(node.name());
                if (node instanceof TopologyDescription.Processor p) {
                    stores.addAll(p.stores());
                }
                if (node instanceof TopologyDescription.Sink s && s.topic() != null) {
                    sinks.add(s.topic());
                }
            }
        }
        description.globalStores().forEach(g -> stores.addAll(g.processor().stores()));

        assertThat(stores).containsExactlyInAnyOrder(PlannerNames.INTAKE, PlannerNames.GROUPS, PlannerNames.THREADS, PlannerNames.MEMBERSHIPS,
                PlannerNames.INCIDENTS, PlannerNames.TIMERS, PlannerNames.OWNERSHIP, PlannerNames.SILENCES);
        assertThat(sinks).containsExactlyInAnyOrder(PlannerNames.APPROVALS_BY_INCIDENT + "-repartition",
                PlannerNames.EVENTS_BY_FAMILY + "-repartition", PlannerNames.EVENTS_BY_INCIDENT + "-repartition", "notifications.outbox");
        assertThat(nodes).contains(PlannerNames.INCIDENTS_SOURCE, PlannerNames.RUNS_SOURCE, PlannerNames.OUTCOMES_SOURCE,
                PlannerNames.APPROVALS_SOURCE, PlannerNames.INTAKE_STEP, PlannerNames.GROUP_STEP, PlannerNames.INCIDENT_STEP);
        assertThat(nodes).noneMatch(name -> name.startsWith("KSTREAM-") || name.startsWith("KTABLE-"));
    }
}
