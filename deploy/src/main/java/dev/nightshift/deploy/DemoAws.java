package dev.nightshift.deploy;

import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.actions.Actions;
import dev.nightshift.workers.actions.AwsClients;
import dev.nightshift.workers.actions.RemediationAction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The AWS the demo's services see, so that nothing leaves this machine: a dummy key pair, one region,
 * and every AWS service's endpoint at a closed local port (a read such as cloudwatch-metrics fails at
 * once, and never blocks a fix). Live, the stack points DynamoDB's endpoint at dynalite and
 * {@value #LIVE_ACTION} alone runs for real; every other action stays in dry-run. Otherwise every
 * action is in dry-run.
 */
final class DemoAws {
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";
    static final String LIVE_ACTION = "dynamodb-scale";
    /** Nothing listens on port 1 of the loopback: a call there is refused at once. */
    static final String NOWHERE = "http://127.0.0.1:1";

    private DemoAws() {
    }

    /** The services' environment for the demo: live for {@value #LIVE_ACTION} only, or all in dry-run. */
    static Map<String, String> environment(boolean live) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", REGION);
        env.put("AWS_ACCESS_KEY_ID", "AKIDNIGHTSHIFTDEMO");
        env.put("AWS_SECRET_ACCESS_KEY", "nightshift-demo-not-a-secret");
        env.put("AWS_ENDPOINT_URL", NOWHERE);
        env.put("WORKERS_DRY_RUN", Boolean.toString(!live));
        if (live) {
            env.put("WORKERS_DRY_RUN_ACTIONS", String.join(",", actions().keySet().stream().filter(a -> !a.equals(LIVE_ACTION)).toList()));
        }
        return env;
    }

    /** Every action the workers know, with its kind, by name. */
    static Map<String, ActionSpec.Kind> actions() {
        return Catalog.KINDS;
    }

    /** Built once, when first asked: the catalog's actions need their AWS clients, which take seconds to build. */
    private static final class Catalog {
        static final Map<String, ActionSpec.Kind> KINDS = kinds();

        private static Map<String, ActionSpec.Kind> kinds() {
            Map<String, ActionSpec.Kind> kinds = new TreeMap<>();
            try (AwsClients clients = AwsClients.inRegion(REGION, StaticCredentialsProvider.create(AwsBasicCredentials.create("unused", "unused")))) {
                for (RemediationAction action : Actions.standard(clients, Clock.systemUTC())) {
                    kinds.put(action.name(), action.spec().kind());
                }
            }
            return Collections.unmodifiableMap(kinds);
        }
    }
}
