package dev.nightshift.notifier;

import dev.nightshift.schema.IncidentState;
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
}
