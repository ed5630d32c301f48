package dev.nightshift.workers.action;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.util.Map;

/**
 * Raises the provisioned read and write capacity of a throttled DynamoDB table by a factor,
 * never above the step's maximums. Tables in on-demand mode are left alone.
 * Parameters: {@code table} (or the resource), {@code factor} (default 2), {@code maxReadCapacity},
 * {@code maxWriteCapacity} (default 1000 each).
 */
public final class DynamoDbScaleAction implements RemediationAction {
    private final DynamoDbClient dynamo;

    public DynamoDbScaleAction(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public String name() {
        return "dynamodb-scale";
    }

    @Override
    public String plan(Step step) {
        return String.format("raise the provisioned capacity of DynamoDB table %s by x%s (read at most %d, write at most %d)",
                step.parameterOrResource("table"), trim(factor(step)), maxRead(step), maxWrite(step));
    }

    @Override
    public Change execute(Step step) {
        String table = step.parameterOrResource("table");
        double factor = factor(step);   // the step's numbers are checked before anything is asked of AWS
        long maxRead = maxRead(step);
        long maxWrite = maxWrite(step);
        TableDescription description = dynamo.describeTable(b -> b.tableName(table)).table();
        if (description.billingModeSummary() != null
                && description.billingModeSummary().billingMode() == BillingMode.PAY_PER_REQUEST) {
            return new Change("table " + table + " is on-demand; nothing to scale", Map.of("billingMode", "PAY_PER_REQUEST"), Map.of());
        }
        ProvisionedThroughputDescription current = description.provisionedThroughput();
        long read = Math.min(maxRead, Math.round(Math.ceil(current.readCapacityUnits() * factor)));
        long write = Math.min(maxWrite, Math.round(Math.ceil(current.writeCapacityUnits() * factor)));
        Map<String, String> before = Map.of("readCapacityUnits", current.readCapacityUnits().toString(),
                "writeCapacityUnits", current.writeCapacityUnits().toString());
        if (read <= current.readCapacityUnits() && write <= current.writeCapacityUnits()) {
            return new Change("table " + table + " is already at its maximum capacity", before, before);
        }
        read = Math.max(read, current.readCapacityUnits());
        write = Math.max(write, current.writeCapacityUnits());
        long newRead = read;
        long newWrite = write;
        dynamo.updateTable(b -> b.tableName(table).provisionedThroughput(ProvisionedThroughput.builder()
                .readCapacityUnits(newRead).writeCapacityUnits(newWrite).build()));
        return new Change(String.format("raised table %s capacity: read %d -> %d, write %d -> %d", table,
                current.readCapacityUnits(), newRead, current.writeCapacityUnits(), newWrite),
                before, Map.of("readCapacityUnits", Long.toString(newRead), "writeCapacityUnits", Long.toString(newWrite)));
    }

    private static double factor(Step step) {
        double factor = step.number("factor", 2.0);
        if (factor <= 1.0 || factor > 10.0) {
            throw new Step.InvalidStepException("factor must be above 1 and at most 10, was " + factor);
        }
        return factor;
    }

    private static long maxRead(Step step) {
        return (long) step.number("maxReadCapacity", 1000);
    }

    private static long maxWrite(Step step) {
        return (long) step.number("maxWriteCapacity", 1000);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
