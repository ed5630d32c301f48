package dev.nightshift.workers.actions;

import java.time.Clock;

/**
 * Run in a child JVM by {@link DynamoDbScaleDynaliteIT} with only environment variables set (AWS_REGION,
 * AWS_ENDPOINT_URL_DYNAMODB, credentials): scales the table named in its argument through the standard catalog and
 * prints the summary, proving the clients find their endpoint the standard way.
 */
public final class DynaliteChild {
    private DynaliteChild() {
    }

    public static void main(String[] args) throws Exception {
        try (AwsClients clients = AwsClients.inRegion(System.getenv("AWS_REGION"))) {
            RemediationAction scale = Actions.catalog(clients, Clock.systemUTC()).find("dynamodb-scale").orElseThrow();
            ActionResult result = scale.execute(Steps.of("dynamodb-scale").resource("dynamodb:table/" + args[0]).with("factor", "2").step());
            System.out.println("RESULT " + result.status() + ": " + result.summary());
        }
    }
}
