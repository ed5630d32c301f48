package dev.nightshift.notifier.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.notifier.NotificationSamples;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.nightshift.notifier.NotificationSamples.INCIDENT;
import static org.assertj.core.api.Assertions.assertThat;

/** What a ticket says, without Jira: labels, summaries, and ADF that Jira accepts whatever the records hold. */
class JiraContentTest {
    @Test
    void anIncidentIdThatIsALegalLabelIsUsedAsItIs() {
        assertThat(JiraTicketSystem.label("fp1a2b-mhx2k0")).isEqualTo("nightshift-fp1a2b-mhx2k0");
    }

    @Test
    void anIdWithCharactersALabelCannotHoldGetsADigestSoTwoIdsNeverShareALabel() {
        String spaced = JiraTicketSystem.label("orders eu/1");
        String underscored = JiraTicketSystem.label("orders_eu_1");

        assertThat(spaced).matches("nightshift-orders_eu_1-[0-9a-f]{12}");
        assertThat(underscored).isEqualTo("nightshift-orders_eu_1");
        assertThat(JiraTicketSystem.label("x".repeat(400))).hasSizeLessThan(255).matches("[A-Za-z0-9_.-]+");
    }

    @Test
    void theSummaryIsTheTitleElseTheAlertsNameOnOneLineWithinJirasLimit() {
        Notification untitled = Notification.newBuilder(NotificationSamples.ticket())
                .setIncident(Incident.newBuilder(NotificationSamples.incident()).setTitle(null).build()).build();
        Notification long1 = Notification.newBuilder(NotificationSamples.ticket())
                .setIncident(Incident.newBuilder(NotificationSamples.incident()).setTitle("a\r\nb\t" + "c".repeat(400)).build()).build();

        assertThat(JiraContent.summary(NotificationSamples.ticket())).isEqualTo("Throttled reads on orders-eu");
        assertThat(JiraContent.summary(untitled)).isEqualTo("orders-eu-read-throttle");
        assertThat(JiraContent.summary(long1)).hasSize(JiraContent.MAX_SUMMARY).startsWith("a b c").endsWith("…").doesNotContain("\n");
    }

    @Test
    void emptyValuesMakeNoNodeAndControlCharactersAreDropped() {
        Incident sparse = Incident.newBuilder(NotificationSamples.incident()).setResource("").setAccount(null).setRegion(null)
                .setPlaybook("  ").setTitle("bell\u0007 and\u0000 null").setLabels(Map.of()).build();
        ObjectNode description = JiraContent.description(Notification.newBuilder(NotificationSamples.ticket()).setIncident(sparse).build());

        assertThat(AdfReader.lines(description)).noneMatch(l -> l.startsWith("Resource") || l.startsWith("Account") || l.startsWith("Playbook"));
        assertThat(AdfReader.nodes(description, "text")).allSatisfy(t -> assertThat(t.path("text").asText()).isNotEmpty()
                .doesNotContain("\u0007").doesNotContain("\u0000"));
        assertThat(AdfReader.nodes(description, "bulletList")).allSatisfy(l -> assertThat(l.path("content")).isNotEmpty());
        assertThat(AdfReader.lines(description)).doesNotContain("Links");
    }

    @Test
    void longMapsAndValuesAreCut() {
        Map<String, String> many = IntStream.range(0, 50).boxed().collect(Collectors.toMap(i -> "k" + (100 + i), i -> "v".repeat(5000)));
        Notification step = NotificationSamples.notification(NotificationKind.TICKET_COMMENT, "step", INCIDENT + ":comment:step")
                .setOutcome(NotificationSamples.outcome(OutcomeStatus.SUCCEEDED).setAfter(many).build()).build();

        ObjectNode comment = JiraContent.comment(step);

        assertThat(AdfReader.lines(comment)).contains("and 20 more").filteredOn(l -> l.startsWith("k1")).hasSize(JiraContent.MAX_ENTRIES);
        assertThat(AdfReader.nodes(comment, "text")).allSatisfy(t -> assertThat(t.path("text").asText().length()).isLessThanOrEqualTo(Adf.MAX_TEXT + 1));
    }

    @Test
    void aStateChangeWithoutAnyRecordSaysWhatHappened() {
        Incident resolved = Incident.newBuilder(NotificationSamples.incident()).setState(IncidentState.RESOLVED).setChange("resolved")
                .setResolvedAt(NotificationSamples.T0.plusSeconds(600)).build();
        Notification notification = NotificationSamples.notification(NotificationKind.TICKET_COMMENT, "resolved", INCIDENT + ":comment:state:5")
                .setIncident(resolved).build();

        JsonNode comment = JiraContent.comment(notification);

        assertThat(AdfReader.lines(comment)).contains("Incident resolved: now RESOLVED", "Resolved: 2026-11-21 03:10:00 UTC");
    }
}
