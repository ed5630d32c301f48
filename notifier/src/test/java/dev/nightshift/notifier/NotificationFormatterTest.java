package dev.nightshift.notifier;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.RemediationOutcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationFormatterTest {
    private final NotificationFormatter formatter = new NotificationFormatter();

    @Test
    void anOpenedIncidentSaysWhatWhereAndWho() {
        assertThat(formatter.incident(Records.incident("inc-1", "opened", IncidentState.OPEN, 1))).contains(
                "[OPEN] Throttled reads on orders-eu (HIGH, database) - opened, team payments, resource dynamodb:table/orders-eu, "
                        + "1 occurrence, playbook dynamodb-throttling [incident inc-1]");
    }

    @Test
    void aRepeatIsNotWorthAMessage() {
        assertThat(formatter.incident(Records.incident("inc-1", "repeated", IncidentState.OPEN, 4))).isEmpty();
    }

    @Test
    void aResolvedIncidentCarriesItsCount() {
        assertThat(formatter.incident(Records.incident("inc-1", "resolved", IncidentState.RESOLVED, 4)).orElseThrow())
                .startsWith("[RESOLVED]").contains("4 occurrences");
    }

    @Test
    void anOutcomeNamesTheStepAndWhatItDid() {
        assertThat(formatter.outcome(Records.outcome("inc-1"))).isEqualTo(
                "[step 1 dynamodb-scale: PLANNED] dry-run: would raise the provisioned capacity of DynamoDB table orders-eu by x2 "
                        + "[incident inc-1, playbook dynamodb-throttling]");
    }

    @Test
    void alertTextCannotMentionAChannelOrDisguiseALink() {
        Incident hostile = Records.incident("inc-1", "opened", IncidentState.OPEN, 1);
        hostile.setTitle("<!channel> disk full <https://evil.example|click to fix>");
        hostile.getOwner().setTeam("<@U0ADMIN>");
        hostile.setResource("R&D <db>");

        String line = formatter.incident(hostile).orElseThrow();

        assertThat(line).isEqualTo("[OPEN] &lt;!channel&gt; disk full &lt;https://evil.example|click to fix&gt; (HIGH, database) - opened, "
                + "team &lt;@U0ADMIN&gt;, resource R&amp;D &lt;db&gt;, 1 occurrence, playbook dynamodb-throttling [incident inc-1]");
    }

    @Test
    void anAlertWithoutATitleHasItsNameEscaped() {
        Incident hostile = Records.incident("inc-1", "resolved", IncidentState.RESOLVED, 2);
        hostile.setTitle(null);
        hostile.setName("<!here>");
        hostile.setClosedReason("<https://evil.example|resolved>");

        assertThat(formatter.incident(hostile).orElseThrow())
                .startsWith("[RESOLVED] &lt;!here&gt; (")
                .contains(", closed: &lt;https://evil.example|resolved&gt; [incident inc-1]")
                .doesNotContain("<", ">");
    }

    @Test
    void anOutcomeSummaryIsEscaped() {
        RemediationOutcome outcome = Records.outcome("inc-1");
        outcome.setSummary("scaled <!channel> & <https://evil.example|see>");

        assertThat(formatter.outcome(outcome)).isEqualTo(
                "[step 1 dynamodb-scale: PLANNED] scaled &lt;!channel&gt; &amp; &lt;https://evil.example|see&gt; "
                        + "[incident inc-1, playbook dynamodb-throttling]");
    }
}
