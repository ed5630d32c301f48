package dev.nightshift.workers.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** cloudtrail-events through the real SDK against a fake that checks the CloudTrail JSON protocol on the wire. */
class CloudTrailEventsActionTest {
    private static final String LOOKUP = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";

    @RegisterExtension
    static final AwsFake aws = new AwsFake("cloudtrail-events");

    private final CloudTrailEventsAction action = new CloudTrailEventsAction(aws.clients().cloudTrail(),
            Clock.fixed(Instant.parse("2026-12-06T03:30:00Z"), ZoneOffset.UTC));

    @Test
    void countsTheResourcesEventsAndNamesTheNewest() {
        aws.json(LOOKUP, """
                {"Events":[
                  {"EventId":"e1","EventName":"DescribeTable","EventTime":1796527000,"Username":"bob","EventSource":"dynamodb.amazonaws.com"},
                  {"EventId":"e2","EventName":"UpdateTable","EventTime":1796527500,"Username":"alice","EventSource":"dynamodb.amazonaws.com"},
                  {"EventId":"e3","EventName":"TagResource","EventTime":1796526000,"EventSource":"dynamodb.amazonaws.com"}],
                 "NextToken":"more"}
                """);

        ActionResult result = action.execute(Steps.of("cloudtrail-events").resource("dynamodb:table/orders-eu").with("last", "2").step());

        assertThat(aws.calls()).containsExactly("cloudtrail:LookupEvents");
        JsonNode body = aws.bodies(LOOKUP).get(0);
        assertThat(body.path("LookupAttributes").toString()).isEqualTo("[{\"AttributeKey\":\"ResourceName\",\"AttributeValue\":\"orders-eu\"}]");
        assertThat(body.path("StartTime").asLong()).isEqualTo(Instant.parse("2026-12-06T02:30:00Z").getEpochSecond());
        assertThat(body.path("EndTime").asLong()).isEqualTo(Instant.parse("2026-12-06T03:30:00Z").getEpochSecond());
        assertThat(body.path("MaxResults").asInt()).isEqualTo(50);
        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.results()).containsEntry("count", "3").containsEntry("more", "true")
                .containsEntry("event.1.name", "UpdateTable").containsEntry("event.1.user", "alice")
                .containsEntry("event.1.time", "2026-12-06T03:25:00Z").containsEntry("event.1.source", "dynamodb.amazonaws.com")
                .containsEntry("event.2.name", "DescribeTable").doesNotContainKey("event.3.name");
        assertThat(result.summary()).isEqualTo("3 or more CloudTrail events for orders-eu in the last 60 min: "
                + "UpdateTable by alice at 2026-12-06T03:25:00Z; DescribeTable by bob at 2026-12-06T03:16:40Z");
    }

    @Test
    void noEventsIsAnAnswerAndThePlanCallsNothing() {
        assertThat(action.plan(Steps.of("cloudtrail-events").with("resourceName", "i-0abc1234").with("minutes", "15").step()))
                .isEqualTo("read the CloudTrail events of i-0abc1234 over the last 15 minutes");
        assertThat(aws.calls()).isEmpty();
        aws.json(LOOKUP, "{\"Events\":[]}");

        ActionResult result = action.execute(Steps.of("cloudtrail-events").with("resourceName", "i-0abc1234").step());

        assertThat(result.results()).containsEntry("count", "0").containsEntry("more", "false");
        assertThat(result.summary()).isEqualTo("0 CloudTrail events for i-0abc1234 in the last 60 min");
    }
}
