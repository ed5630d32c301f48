package dev.nightshift.workers.actions;

import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** waf-block-ip through the real SDK (wafv2 2.40.9 on the 2.59.1 core) against a fake that checks the WAF JSON protocol. */
class WafBlockIpActionTest {
    private static final String GET = "AWSWAF_20190729.GetIPSet";
    private static final String UPDATE = "AWSWAF_20190729.UpdateIPSet";

    @RegisterExtension
    static final AwsFake aws = new AwsFake("waf-block-ip");

    private final WafBlockIpAction action = new WafBlockIpAction(aws.clients().waf());

    private static String set(String token, String... addresses) {
        return """
                {"IPSet":{"Name":"blocklist","Id":"a1b2c3","ARN":"arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/blocklist/a1b2c3",
                  "IPAddressVersion":"IPV4","Addresses":[%s]},"LockToken":"%s"}
                """.formatted(String.join(",", Arrays.stream(addresses).map(a -> "\"" + a + "\"").toList()), token);
    }

    private static Steps block(String ip) {
        return Steps.of("waf-block-ip").resource("ip:" + ip).with("ipSetName", "blocklist").with("ipSetId", "a1b2c3");
    }

    @Test
    void addsTheAddressWithTheLockTokenOfTheRead() {
        aws.json(GET, set("tok-1", "198.51.100.7/32"));
        aws.json(UPDATE, "{\"NextLockToken\":\"tok-2\"}");

        ActionResult result = action.execute(block("203.0.113.9").step());

        assertThat(aws.calls()).containsExactly("wafv2:GetIPSet", "wafv2:UpdateIPSet");
        assertThat(aws.bodies(GET).get(0).toString()).isEqualTo("{\"Name\":\"blocklist\",\"Scope\":\"REGIONAL\",\"Id\":\"a1b2c3\"}");
        assertThat(aws.bodies(UPDATE).get(0).toString()).isEqualTo("{\"Name\":\"blocklist\",\"Scope\":\"REGIONAL\",\"Id\":\"a1b2c3\","
                + "\"Addresses\":[\"198.51.100.7/32\",\"203.0.113.9/32\"],\"LockToken\":\"tok-1\"}");
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.summary()).isEqualTo("blocked 203.0.113.9/32 in WAF IP set blocklist");
        assertThat(result.results()).containsEntry("ip", "203.0.113.9/32").containsEntry("addresses", "2").containsEntry("added", "true");
    }

    @Test
    void anAddressAlreadyInTheSetIsReportedNotAddedTwice() {
        aws.json(GET, set("tok-1", "203.0.113.9/32"));

        ActionResult result = action.execute(block("203.0.113.9").step());

        assertThat(aws.calls()).containsExactly("wafv2:GetIPSet");
        assertThat(result.summary()).isEqualTo("203.0.113.9/32 is already blocked in WAF IP set blocklist; nothing changed");
        assertThat(result.results()).containsEntry("added", "false");
        assertThat(action.recover(block("203.0.113.9").step())).isPresent();
    }

    @Test
    void aLostRaceForTheLockReadsAgain() {
        aws.stub(post("/").withHeader("X-Amz-Target", equalTo(GET)).inScenario("race").whenScenarioStateIs(STARTED)
                .willReturn(AwsFake.jsonAnswer(200, set("tok-1", "198.51.100.7/32"))));
        aws.stub(post("/").withHeader("X-Amz-Target", equalTo(UPDATE)).inScenario("race").whenScenarioStateIs(STARTED)
                .willReturn(AwsFake.jsonAnswer(400, "{\"__type\":\"WAFOptimisticLockException\",\"Message\":\"stale lock token\"}"))
                .willSetStateTo("changed"));
        aws.stub(post("/").withHeader("X-Amz-Target", equalTo(GET)).inScenario("race").whenScenarioStateIs("changed")
                .willReturn(AwsFake.jsonAnswer(200, set("tok-9", "198.51.100.7/32", "192.0.2.1/32"))));
        aws.stub(post("/").withHeader("X-Amz-Target", equalTo(UPDATE)).inScenario("race").whenScenarioStateIs("changed")
                .willReturn(AwsFake.jsonAnswer(200, "{\"NextLockToken\":\"tok-10\"}")));

        ActionResult result = action.execute(block("203.0.113.9").step());

        assertThat(aws.calls()).containsExactly("wafv2:GetIPSet", "wafv2:UpdateIPSet", "wafv2:GetIPSet", "wafv2:UpdateIPSet");
        assertThat(aws.bodies(UPDATE).get(1).path("LockToken").asText()).isEqualTo("tok-9");
        assertThat(aws.bodies(UPDATE).get(1).path("Addresses").toString())
                .isEqualTo("[\"198.51.100.7/32\",\"192.0.2.1/32\",\"203.0.113.9/32\"]");
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
    }

    @Test
    void thePlanShowsTheCidrAndUnworkableAddressesAreRefused() {
        assertThat(action.plan(block("2001:db8::1").with("scope", "cloudfront").step()))
                .isEqualTo("add 2001:db8::1/128 to WAF IP set blocklist (CLOUDFRONT)");
        assertThat(action.plan(block("203.0.113.0/24").step())).isEqualTo("add 203.0.113.0/24 to WAF IP set blocklist (REGIONAL)");
        for (String bad : List.of("example.com", "10.0.0.0/8", "203.0.113.9/33", "::/0", "1.2.3", "256.1.1.1", "2001:db8::/32")) {
            assertThatThrownBy(() -> action.plan(block(bad).step())).as(bad).isInstanceOf(Step.InvalidStepException.class);
        }
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void aSetWithoutTheAddressProvesNothing() {
        aws.json(GET, set("tok-1", "198.51.100.7/32"));

        assertThat(action.recover(block("203.0.113.9").step())).isEmpty();
    }
}
