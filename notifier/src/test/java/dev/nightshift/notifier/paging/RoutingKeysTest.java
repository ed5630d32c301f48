package dev.nightshift.notifier.paging;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PAGERDUTY_ROUTING_KEYS as people write it, and its mistakes named without repeating a key. */
class RoutingKeysTest {
    @Test
    void eachTeamHasItsKeyOrItsReference() {
        assertThat(RoutingKeys.parse(" payments = KEY1 ,checkout=aws-secretsmanager:nightshift/pagerduty#checkout,, search=aws-ssm:/pd/search"))
                .containsExactly(Map.entry("payments", "KEY1"), Map.entry("checkout", "aws-secretsmanager:nightshift/pagerduty#checkout"),
                        Map.entry("search", "aws-ssm:/pd/search"));
        assertThat(RoutingKeys.parse("")).isEmpty();
    }

    @Test
    void aMalformedEntryIsNamedByItsPositionNotItsText() {
        assertThatThrownBy(() -> RoutingKeys.parse("payments=KEY1,SECRETKEYWITHOUTTEAM"))
                .hasMessage("PAGERDUTY_ROUTING_KEYS: entry 2 is not team=key");
        assertThatThrownBy(() -> RoutingKeys.parse("payments="))
                .hasMessage("PAGERDUTY_ROUTING_KEYS: entry 1 is not team=key");
        assertThatThrownBy(() -> RoutingKeys.parse("payments=KEY1,payments=KEY2"))
                .hasMessage("PAGERDUTY_ROUTING_KEYS: team payments is given twice");
    }
}
