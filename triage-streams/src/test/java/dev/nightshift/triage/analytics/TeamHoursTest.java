package dev.nightshift.triage.analytics;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TeamHoursTest {
    private final TeamHours hours = TeamHours.parse("UTC", "09:00-18:00", "MON-FRI",
            "Payments=Europe/Berlin 08:00-17:00 MON-FRI; night-ops=UTC 22:00-06:00 MON,TUE,WED,THU,FRI,SAT,SUN");

    @Test
    void outOfHoursIsJudgedInTheTeamsOwnTimeZoneAndDays() {
        // Friday 2026-11-20, 07:30 UTC is 08:30 in Berlin (winter, UTC+1)
        assertThat(hours.outOfHours("payments", Instant.parse("2026-11-20T07:30:00Z"))).isFalse();
        assertThat(hours.outOfHours("search", Instant.parse("2026-11-20T07:30:00Z"))).as("default hours, UTC").isTrue();
        assertThat(hours.outOfHours("payments", Instant.parse("2026-11-20T02:00:00Z"))).as("3 a.m. in Berlin").isTrue();
        assertThat(hours.outOfHours("search", Instant.parse("2026-11-21T12:00:00Z"))).as("Saturday noon").isTrue();
        assertThat(hours.outOfHours("search", Instant.parse("2026-11-20T17:59:59Z"))).isFalse();
        assertThat(hours.outOfHours("search", Instant.parse("2026-11-20T18:00:00Z"))).as("the end is excluded").isTrue();
        assertThat(hours.outOfHours("night-ops", Instant.parse("2026-11-20T03:00:00Z"))).as("hours across midnight").isFalse();
        assertThat(hours.of("payments").describe()).isEqualTo("Europe/Berlin 08:00-17:00 MON,TUE,WED,THU,FRI");
    }

    @Test
    void hoursThatDoNotReadAreRefusedNamingWhat() {
        assertThatThrownBy(() -> TeamHours.parse("Mars/Olympus", "09:00-18:00", "MON-FRI", ""))
                .hasMessageContaining("'Mars/Olympus' is not a time zone");
        assertThatThrownBy(() -> TeamHours.parse("UTC", "9-18", "MON-FRI", "")).hasMessageContaining("HH:MM-HH:MM");
        assertThatThrownBy(() -> TeamHours.parse("UTC", "09:00-18:00", "weekdays", "")).hasMessageContaining("MON-FRI");
        assertThatThrownBy(() -> TeamHours.parse("UTC", "09:00-18:00", "MON-FRI", "payments=Europe/Berlin"))
                .hasMessageContaining("team=ZONE HH:MM-HH:MM DAYS");
    }

    @Test
    void teamReportCountsOutOfHoursIncidentsAndListsTheNoisiestAlerts() {
        List<IncidentFact> facts = List.of(
                Facts.incident().team("payments").kind("database", "disk 80%").resolvedAfter(ofMinutes(2)).noise().outOfHours().build(),
                Facts.incident().team("payments").kind("database", "disk 80%").resolvedAfter(ofMinutes(3)).noise().build(),
                Facts.incident().team("payments").kind("database", "disk 80%").resolvedAfter(ofMinutes(40)).build(),
                Facts.incident().team("payments").kind("network", "latency blip").resolvedAfter(ofMinutes(1)).noise().build(),
                Facts.incident().team("payments").kind("network", "5xx high").resolvedAfter(ofMinutes(30)).outOfHours().build());

        TeamReport.TeamFigures payments = TeamReport.of(facts, hours, 5).get(0);

        assertThat(payments.team()).isEqualTo("payments");
        assertThat(payments.hours()).isEqualTo("Europe/Berlin 08:00-17:00 MON,TUE,WED,THU,FRI");
        assertThat(payments.incidents()).isEqualTo(5);
        assertThat(payments.outOfHoursIncidents()).isEqualTo(2);
        assertThat(payments.noisiestAlerts()).containsExactly(new TeamReport.NoisyAlert("disk 80%", "database", 3, 2),
                new TeamReport.NoisyAlert("latency blip", "network", 1, 1));
        assertThat(TeamReport.of(facts, hours, 1).get(0).noisiestAlerts()).hasSize(1);
    }
}
