package dev.nightshift.notifier.grouping;

import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.GroupMember;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.StormGroup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StormGroupingTest {
    private static final long T0 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
    private static final String FAMILY = GroupKeys.family("payments", "database", "#payments");
    private final StormGrouping grouping = new StormGrouping(Duration.ofSeconds(30));

    @Test
    void theFirstIncidentOfAFamilyOpensAGroupNamedByItsOwnOpeningTime() {
        StormGrouping.Placement first = grouping.place(FAMILY, null, T0);

        assertThat(first.opensGroup()).isTrue();
        assertThat(first.threadKey()).isEqualTo("payments|database|#payments|" + T0);
        assertThat(StormGrouping.becomesLatest(null, first)).isTrue();
    }

    @Test
    void anIncidentWithinTheWindowOfTheGroupsFirstJoinsItEvenWhenItCameSecondButOpenedFirst() {
        StormGroup latest = new StormGroup("payments|database|#payments|" + T0, Instant.ofEpochMilli(T0));

        assertThat(grouping.place(FAMILY, latest, T0 + 29_999).threadKey()).isEqualTo(latest.getThreadKey());
        assertThat(grouping.place(FAMILY, latest, T0 - 2_000).threadKey()).as("alerts of one storm reach us in no set order")
                .isEqualTo(latest.getThreadKey());
        StormGrouping.Placement after = grouping.place(FAMILY, latest, T0 + 30_000);
        assertThat(after.opensGroup()).isTrue();
        assertThat(after.threadKey()).isEqualTo("payments|database|#payments|" + (T0 + 30_000));
        assertThat(StormGrouping.becomesLatest(latest, after)).isTrue();
    }

    @Test
    void anIncidentThatOpenedLongBeforeTheLatestGroupGetsAThreadOfItsOwnAndLeavesTheLatestGroupOpen() {
        StormGroup latest = new StormGroup("payments|database|#payments|" + T0, Instant.ofEpochMilli(T0));

        StormGrouping.Placement old = grouping.place(FAMILY, latest, T0 - 3_600_000);

        assertThat(old.opensGroup()).isTrue();
        assertThat(StormGrouping.becomesLatest(latest, old)).isFalse();
    }

    @Test
    void familiesAreTeamCategoryAndChannelWithUnclassifiedAndNoChannelNamedNone() {
        assertThat(GroupKeys.family("payments", "unclassified", null)).isEqualTo("payments|none|none");
        assertThat(GroupKeys.family("payments", "database", "#pay")).isNotEqualTo(GroupKeys.family("payments", "network", "#pay"))
                .isNotEqualTo(GroupKeys.family("search", "database", "#pay")).isNotEqualTo(GroupKeys.family("payments", "database", "#pay-eu"));
        assertThat(GroupKeys.teamOf(FAMILY)).isEqualTo("payments");
        assertThat(GroupKeys.categoryOf(FAMILY)).isEqualTo("database");
    }

    @Test
    void membersAreListedInTheOrderTheyJoinedAndAChangeUpdatesAMemberInPlace() {
        Incident first = incident("inc-1", IncidentState.OPEN);
        List<GroupMember> members = StormGrouping.withMember(StormGrouping.withMember(List.of(), first), incident("inc-2", IncidentState.OPEN));
        members = StormGrouping.withMember(members, incident("inc-1", IncidentState.RESOLVED));

        assertThat(members).extracting(GroupMember::getIncidentId).containsExactly("inc-1", "inc-2");
        assertThat(members.get(0).getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(members.get(0).getTitle()).isEqualTo("Throttled reads on inc-1");
        assertThat(members.get(0).getService()).isEqualTo("orders");
    }

    private static Incident incident(String id, IncidentState state) {
        Instant at = Instant.ofEpochMilli(T0);
        return Incident.newBuilder().setIncidentId(id).setFingerprint("fp").setState(state).setSource(AlertSource.GENERIC).setName("n")
                .setTitle("Throttled reads on " + id).setOwner(new Owner("payments", "orders", "#payments", null, null))
                .setLastAlertId("a").setChange("opened").setOpenedAt(at).setLastSeenAt(at).setUpdatedAt(at).build();
    }
}
