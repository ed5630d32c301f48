package dev.nightshift.workers.actions;

import dev.nightshift.registry.DynaliteServer;
import dev.nightshift.schema.OutcomeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * dynamodb-scale against dynalite, an open-source DynamoDB: the endpoint is set the standard way (the system property
 * aws.endpointUrlDynamoDb here, the variable AWS_ENDPOINT_URL_DYNAMODB in a child JVM), the table's capacity is read
 * back from the table, and the undo puts it back. dynalite is installed into {@code target/dynalite} when missing
 * ({@code .ci/run} installs it before the build on CI); without Node.js the test is skipped, saying so; a failed install
 * fails it.
 */
class DynamoDbScaleDynaliteIT {
    private static DynaliteServer dynalite;
    private static AwsClients clients;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(DynaliteServer.nodeVersion().isPresent(),
                "Node.js is not installed (node --version failed): the dynalite tests need it");
        Path home = Path.of("target", "dynalite").toAbsolutePath();
        if (!DynaliteServer.installed(home)) {
            DynaliteServer.install(home, Duration.ofMinutes(5));
        }
        dynalite = DynaliteServer.start(home, 0, home.resolve("dynalite.log"), Duration.ofSeconds(30));
        System.setProperty("aws.endpointUrlDynamoDb", dynalite.endpoint());
        try {
            clients = AwsClients.inRegion("eu-west-1", StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")));
        } finally {
            System.clearProperty("aws.endpointUrlDynamoDb");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
    }

    private static void createTable(String name, long read, long write) {
        DynamoDbClient dynamo = clients.dynamoDb();
        dynamo.createTable(b -> b.tableName(name)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .provisionedThroughput(t -> t.readCapacityUnits(read).writeCapacityUnits(write)));
        awaitActive(name);
    }

    private static void awaitActive(String name) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> clients.dynamoDb().describeTable(b -> b.tableName(name)).table().tableStatus() == TableStatus.ACTIVE);
    }

    private static ProvisionedThroughputDescription capacity(String name) {
        return clients.dynamoDb().describeTable(b -> b.tableName(name)).table().provisionedThroughput();
    }

    @Test
    void scalesAProvisionedTableByHalfAgainAndTheUndoPutsItBack() {
        createTable("orders-eu", 10, 40);
        DynamoDbScaleAction action = new DynamoDbScaleAction(clients.dynamoDb());
        Instant started = Instant.now().minusSeconds(1);

        ActionResult result = action.execute(Steps.of("dynamodb-scale").resource("dynamodb:table/orders-eu").step());

        assertThat(result.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(result.summary()).isEqualTo("raised table orders-eu capacity: read 10 -> 15, write 40 -> 60");
        awaitActive("orders-eu");
        assertThat(capacity("orders-eu").readCapacityUnits()).isEqualTo(15);
        assertThat(capacity("orders-eu").writeCapacityUnits()).isEqualTo(60);

        // an interrupted step: the table's own last increase proves it done, and what it was before
        assertThat(action.recover(Steps.of("dynamodb-scale").resource("dynamodb:table/orders-eu").startedAt(started.toString()).step()))
                .hasValueSatisfying(recovered -> assertThat(recovered.before())
                        .isEqualTo(Map.of("readCapacityUnits", "10", "writeCapacityUnits", "40")));

        Steps undo = Steps.of("dynamodb-scale").resource("dynamodb:table/orders-eu").mode("undo");
        result.before().forEach((key, value) -> undo.earlier("before." + key, value));
        result.results().forEach(undo::earlier);
        ActionResult undone = action.undo(undo.step());

        assertThat(undone.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(undone.summary()).contains("capacity back to 10/40");
        awaitActive("orders-eu");
        assertThat(capacity("orders-eu").readCapacityUnits()).isEqualTo(10);
        assertThat(capacity("orders-eu").writeCapacityUnits()).isEqualTo(40);
    }

    @Test
    void aChildJvmFindsDynaliteThroughAwsEndpointUrlDynamodb() throws Exception {
        createTable("payments-eu", 5, 5);
        ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DynaliteChild.class.getName(), "payments-eu").redirectErrorStream(true);
        child.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        child.environment().putAll(Map.of("AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint(),
                "AWS_ACCESS_KEY_ID", "AKIDCHILD", "AWS_SECRET_ACCESS_KEY", "child-secret",
                // every other service at a closed port: only the DynamoDB variable can have led the child to dynalite
                "AWS_ENDPOINT_URL", "http://127.0.0.1:9"));
        Process process = child.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(l -> l.startsWith("RESULT ")).toList())
                .isEqualTo(List.of("RESULT SUCCEEDED: raised table payments-eu capacity: read 5 -> 10, write 5 -> 10"));
        awaitActive("payments-eu");
        assertThat(capacity("payments-eu").readCapacityUnits()).isEqualTo(10);
    }
}
