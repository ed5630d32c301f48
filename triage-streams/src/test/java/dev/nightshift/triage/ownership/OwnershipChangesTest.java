package dev.nightshift.triage.ownership;

import dev.nightshift.schema.Ownership;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OwnershipChangesTest {
    private static List<Ownership> file(String yaml) {
        return OwnershipFile.parse("ownership.yaml", new Yaml().load(yaml), Instant.EPOCH);
    }

    @Test
    void fileEntriesBecomeOwnershipRecords() {
        List<Ownership> entries = file("""
                services:
                  - name: checkout
                    team: payments
                    slack: "#payments-oncall"
                    jira: PAY
                    environment: prod
                    approvers: [U0123ABCD, sam@example.com]
                    resources: ["tag:service:checkout", "ecs:payments/*"]
                """);
        assertThat(entries).singleElement().satisfies(o -> {
            assertThat(o.getEnvironment()).isEqualTo("prod");
            assertThat(o.getApprovers()).containsExactly("U0123ABCD", "sam@example.com");
            assertThat(o.getService()).isEqualTo("checkout");
            assertThat(o.getTeam()).isEqualTo("payments");
            assertThat(o.getSlackChannel()).isEqualTo("#payments-oncall");
            assertThat(o.getJiraProject()).isEqualTo("PAY");
            assertThat(o.getResources()).containsExactly("tag:service:checkout", "ecs:payments/*");
        });
    }

    @Test
    void anApproverWhoIsNeitherASlackUserNorAnEmailIsRefusedNamingTheService() {
        assertThatThrownBy(() -> file("services:\n  - name: checkout\n    team: t\n    approvers: [\"the on-call\"]\n"))
                .hasMessageContaining("service 'checkout'").hasMessageContaining("approvers").hasMessageContaining("the on-call");
    }

    @Test
    void badEntriesAreRefusedNamingTheService() {
        assertThatThrownBy(() -> file("services:\n  - name: a\n    team: t\n    resources: [\"orders\"]\n"))
                .hasMessageContaining("service 'a'").hasMessageContaining("<kind>:<glob>");
        assertThatThrownBy(() -> file("services:\n  - name: a\n")).hasMessageContaining("service 'a'").hasMessageContaining("team");
        assertThatThrownBy(() -> file("services:\n  - name: a\n    team: t\n  - name: a\n    team: u\n"))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> file("services:\n  - name: a\n    team: t\n    owner: me\n")).hasMessageContaining("owner");
    }

    @Test
    void changesAreAddedUpdatedRemovedOrUnchanged() {
        Map<String, Ownership> current = Map.of(
                "same", file("services: [{name: same, team: a}]").get(0),
                "moved", file("services: [{name: moved, team: a}]").get(0),
                "gone", file("services: [{name: gone, team: a}]").get(0));
        OwnershipChanges changes = OwnershipChanges.between(current, file("""
                services:
                  - {name: same, team: a}
                  - {name: moved, team: b}
                  - {name: new, team: c}
                """));
        assertThat(changes.added()).extracting(Ownership::getService).containsExactly("new");
        assertThat(changes.updated()).extracting(c -> c.after().getService()).containsExactly("moved");
        assertThat(changes.removed()).containsExactly("gone");
        assertThat(changes.unchanged()).isEqualTo(1);
        assertThat(changes.describe()).containsExactly("+ new: team c", "~ moved: team a -> b;", "- gone: removed (tombstone)");
    }

    @Test
    void anUnreadableRecordIsReplacedByTheFilesEntryOrRemovedWhenTheFileDoesNotNameIt() {
        Map<String, Ownership> current = Map.of("same", file("services: [{name: same, team: a}]").get(0));
        Map<String, String> unreadable = Map.of("search", "0@4, unknown magic byte 110", "junk", "0@5, unknown magic byte 110");
        OwnershipChanges changes = OwnershipChanges.between(current, unreadable, file("""
                services:
                  - {name: same, team: a}
                  - {name: search, team: discovery}
                """));
        assertThat(changes.added()).extracting(Ownership::getService).containsExactly("search");
        assertThat(changes.removed()).containsExactly("junk");
        assertThat(changes.unchanged()).isEqualTo(1);
        assertThat(changes.describe()).containsExactly(
                "+ search: team discovery (replaces an unreadable record: 0@4, unknown magic byte 110)",
                "- junk: removed (tombstone); its record could not be read: 0@5, unknown magic byte 110");
    }

    @Test
    void aSettingAddedOrDroppedReadsAsNoneOnItsEmptySide() {
        Map<String, Ownership> current = Map.of("checkout", file("services: [{name: checkout, team: a, slack: \"#a\"}]").get(0));
        OwnershipChanges changes = OwnershipChanges.between(current, file("services: [{name: checkout, team: a, jira: PAY}]"));
        assertThat(changes.describe()).containsExactly("~ checkout: slack #a -> (none); jira (none) -> PAY;");
    }
}
