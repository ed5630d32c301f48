package dev.nightshift.workers.runner;

import dev.nightshift.registry.InMemorySchemaRegistry;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.workers.playbook.Playbooks;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RunnerNamesTest {
    @Test
    void storesRepartitionTopicsAndProcessorsHaveStableNames() {
        Topics topics = new Topics(TopicNames.defaults(), RegistryConfig.of(InMemorySchemaRegistry.shared().url()));
        Playbooks playbooks = Playbooks.parse("p", new Yaml().load(RunnerDriver.PLAYBOOKS), RunnerDriver.ACTIONS).playbooks();
        TopologyDescription description = RunnerTopology.build(new RunnerTopology.Settings(topics, playbooks, RunnerDriver.ACTIONS,
                action -> false, new PlaybookRunner(PlaybookRunner.Settings.defaults()), new Guardrails(Guardrails.Limits.defaults()),
                Duration.ofSeconds(1), Duration.ofDays(7), null, false, RunnerMetrics.NONE)).describe();
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

        assertThat(stores).containsExactlyInAnyOrder(RunnerNames.RUNS, RunnerNames.GUARDS, RunnerNames.OWNERSHIP, RunnerNames.CONTROLS);
        assertThat(sinks).contains(RunnerNames.DECISIONS_BY_INCIDENT + "-repartition", RunnerNames.PROPOSALS_BY_ACTION + "-repartition",
                RunnerNames.OUTCOMES_BY_ACTION + "-repartition", "playbook.runs", "approvals.requests", "remediation.outcomes");
        assertThat(nodes).contains(RunnerNames.INCIDENTS_SOURCE, RunnerNames.OUTCOMES_SOURCE, RunnerNames.DECISIONS_SOURCE,
                RunnerNames.COMMANDS_SOURCE, RunnerNames.RUN_STEP, RunnerNames.GUARD_STEP);
        assertThat(nodes).noneMatch(name -> name.startsWith("KSTREAM-") || name.startsWith("KTABLE-"));
    }
}
