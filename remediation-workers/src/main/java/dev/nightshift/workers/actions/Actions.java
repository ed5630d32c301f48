package dev.nightshift.workers.actions;

import java.time.Clock;
import java.util.List;

/** Every action the workers run, built over one set of AWS clients: the one list the executor and {@code ./pipeline check} share. */
public final class Actions {
    private Actions() {
    }

    public static List<RemediationAction> standard(AwsClients clients, Clock clock) {
        return List.of(
                new DynamoDbScaleAction(clients.dynamoDb()),
                new EcsRemediateAction(clients.ecs()),
                new EcsWaitStableAction(clients.ecs(), clock),
                new LambdaConcurrencyAction(clients.lambda()),
                new SsmRunbookAction(clients.ssm()),
                new Ec2IsolateAction(clients.ec2()),
                new WafBlockIpAction(clients.waf()),
                new CloudWatchMetricsAction(clients.cloudWatch(), clock),
                new CloudTrailEventsAction(clients.cloudTrail(), clock),
                new EcsDeploymentsAction(clients.ecs()));
    }

    /** The same actions as a catalog, by name. */
    public static ActionCatalog catalog(AwsClients clients, Clock clock) {
        return new ActionCatalog(standard(clients, clock));
    }
}
