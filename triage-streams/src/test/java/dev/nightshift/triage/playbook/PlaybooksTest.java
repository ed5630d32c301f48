package dev.nightshift.triage.playbook;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaybooksTest {
    @Test
    void shippedPlaybooksUseTheWorkersActions() {
        Playbooks playbooks = Playbooks.load(null);
        assertThat(playbooks.names()).contains("dynamodb-throttling", "ecs-unhealthy-service", "ec2-status-check",
                "suspicious-ip", "lambda-throttles");
        assertThat(playbooks.actions()).containsExactlyInAnyOrder("dynamodb-scale", "ecs-force-deployment", "ssm-runbook", "waf-block-ip");
        assertThat(playbooks.find("ec2-status-check").orElseThrow().step(0).parameters())
                .containsEntry("document", "AWS-RestartEC2Instance");
        assertThat(playbooks.find("dynamodb-throttling").orElseThrow().step(0).parameters())
                .containsKeys("factor", "maxReadCapacity", "maxWriteCapacity");
    }

    @Test
    void badPlaybookIsRefusedNamingItAndTheStep() {
        assertThatThrownBy(() -> Playbooks.parse("p.yaml", new Yaml().load("playbooks:\n  x:\n    steps: []\n")))
                .hasMessageContaining("playbook 'x'").hasMessageContaining("no steps");
        assertThatThrownBy(() -> Playbooks.parse("p.yaml", new Yaml().load("playbooks:\n  x:\n    steps: [{action: 'bad action'}]\n")))
                .hasMessageContaining("playbook 'x': step 0").hasMessageContaining("action");
    }
}
