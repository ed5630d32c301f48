package dev.nightshift.deploy;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.net.URI;
import java.time.Duration;

/**
 * The demo's provisioned DynamoDB table in dynalite, seen through the AWS SDK as the workers see it:
 * created with a capacity, and its capacity read back with DescribeTable.
 */
final class DemoTable implements AutoCloseable {
    private final DynamoDbClient dynamo;
    private final String name;

    /** A table's provisioned capacity, in capacity units. */
    record Capacity(long read, long write) {
        @Override
        public String toString() {
            return "read " + read + ", write " + write;
        }
    }

    DemoTable(String endpoint, String name) {
        this.name = name;
        this.dynamo = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.of(DemoAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDNIGHTSHIFTDEMO", "demo")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    String name() {
        return name;
    }

    /** Creates the table (one string key, {@code id}) with this provisioned capacity and waits until it is ACTIVE. */
    void create(Capacity capacity) {
        dynamo.createTable(b -> b.tableName(name)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .provisionedThroughput(t -> t.readCapacityUnits(capacity.read()).writeCapacityUnits(capacity.write())));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (dynamo.describeTable(b -> b.tableName(name)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + name + " did not become ACTIVE within 30 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating table " + name, e);
            }
        }
    }

    /** The table's provisioned capacity now, as DescribeTable says. */
    Capacity capacity() {
        ProvisionedThroughputDescription throughput = dynamo.describeTable(b -> b.tableName(name)).table().provisionedThroughput();
        return new Capacity(throughput.readCapacityUnits(), throughput.writeCapacityUnits());
    }

    @Override
    public void close() {
        dynamo.close();
    }
}
