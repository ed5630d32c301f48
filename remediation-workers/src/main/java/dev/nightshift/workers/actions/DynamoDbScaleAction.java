package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Raises a throttled DynamoDB table's provisioned read and write capacity by a factor, never above the step's
 * maximums and never below what the table has; an on-demand table is reported and left alone. The table's own
 * capacity is the undo: it is set back to the capacity the step found. Global secondary indexes keep theirs.
 */
public final class DynamoDbScaleAction implements RemediationAction {
    static final double DEFAULT_FACTOR = 1.5;
    static final long DEFAULT_MAX = 1000;

    private static final ActionSpec SPEC = new ActionSpec("dynamodb-scale", ActionSpec.Kind.CHANGE,
            Map.of("table", "the table's name (default: the resource dynamodb:table/NAME)"),
            Map.of("factor", "read and write capacity are multiplied by it, above 1 and at most 10 (default 1.5)",
                    "maxReadCapacity", "read capacity is raised to at most this (default 1000)",
                    "maxWriteCapacity", "write capacity is raised to at most this (default 1000)"),
            true);

    private final DynamoDbClient dynamo;

    public DynamoDbScaleAction(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public String plan(Step step) {
        Limits limits = Limits.of(step);
        return String.format("raise the provisioned capacity of DynamoDB table %s x%s (read at most %d, write at most %d)",
                table(step), Numbers.text(limits.factor), limits.maxRead, limits.maxWrite);
    }

    @Override
    public ActionResult execute(Step step) {
        String table = table(step);
        Limits limits = Limits.of(step);   // the step's numbers are checked before anything is asked of AWS
        TableDescription description = dynamo.describeTable(b -> b.tableName(table)).table();
        if (onDemand(description)) {
            return onDemandResult(table);
        }
        ProvisionedThroughputDescription current = description.provisionedThroughput();
        long read = current.readCapacityUnits();
        long write = current.writeCapacityUnits();
        long newRead = limits.target(read, limits.maxRead);
        long newWrite = limits.target(write, limits.maxWrite);
        Map<String, String> before = capacity(read, write);
        if (newRead == read && newWrite == write) {
            return ActionResult.succeeded(String.format("table %s is already at its maximum capacity (read %d, write %d); nothing changed",
                    table, read, write), before, before, results(read, write, read, write), null);
        }
        dynamo.updateTable(b -> b.tableName(table).provisionedThroughput(t -> t.readCapacityUnits(newRead).writeCapacityUnits(newWrite)));
        return ActionResult.succeeded(String.format("raised table %s capacity: read %d -> %d, write %d -> %d", table, read, newRead, write, newWrite),
                before, capacity(newRead, newWrite), results(read, write, newRead, newWrite), undoText(table, read, write));
    }

    /**
     * The table proves the step done when its capacity was raised after the step started (DynamoDB's
     * LastIncreaseDateTime) to exactly what the step would have set from some earlier capacity; that earlier
     * capacity is the undo when it is the only one possible (not when a maximum capped the raise).
     */
    @Override
    public Optional<ActionResult> recover(Step step) {
        String table = table(step);
        Limits limits = Limits.of(step);
        TableDescription description = dynamo.describeTable(b -> b.tableName(table)).table();
        if (onDemand(description)) {
            return Optional.of(onDemandResult(table));
        }
        ProvisionedThroughputDescription current = description.provisionedThroughput();
        Instant raised = current.lastIncreaseDateTime();
        if (step.startedAt() == null || raised == null || raised.isBefore(step.startedAt())) {
            return Optional.empty();
        }
        long read = current.readCapacityUnits();
        long write = current.writeCapacityUnits();
        Optional<OptionalLong> readBefore = limits.before(read, limits.maxRead);
        Optional<OptionalLong> writeBefore = limits.before(write, limits.maxWrite);
        if (readBefore.isEmpty() || writeBefore.isEmpty()) {
            return Optional.empty();   // raised since, but not to what this step would set: someone else's change
        }
        if (readBefore.get().equals(OptionalLong.of(read)) && writeBefore.get().equals(OptionalLong.of(write))) {
            return Optional.empty();   // neither was raised by this step's rule
        }
        Map<String, String> after = capacity(read, write);
        if (readBefore.get().isPresent() && writeBefore.get().isPresent()) {
            long oldRead = readBefore.get().getAsLong();
            long oldWrite = writeBefore.get().getAsLong();
            return Optional.of(ActionResult.succeeded(String.format("table %s capacity was raised at %s, after the step started: read %d -> %d, write %d -> %d",
                    table, raised, oldRead, read, oldWrite, write), capacity(oldRead, oldWrite), after,
                    results(oldRead, oldWrite, read, write), undoText(table, oldRead, oldWrite)));
        }
        return Optional.of(ActionResult.succeeded(String.format("table %s capacity was raised at %s, after the step started, to read %d, write %d "
                + "(a maximum capped it, so the capacity before is not known and there is no undo)", table, raised, read, write),
                Map.of(), after, Map.of("readCapacityUnits", Long.toString(read), "writeCapacityUnits", Long.toString(write)), null));
    }

    @Override
    public ActionResult undo(Step step) {
        String table = table(step);
        long read = earlierCapacity(step, "readCapacityUnits");
        long write = earlierCapacity(step, "writeCapacityUnits");
        TableDescription description = dynamo.describeTable(b -> b.tableName(table)).table();
        if (onDemand(description)) {
            return ActionResult.failed("table " + table + " is on-demand now; its capacity cannot be set back to "
                    + read + "/" + write, Map.of("billingMode", BillingMode.PAY_PER_REQUEST.toString()), Map.of());
        }
        ProvisionedThroughputDescription current = description.provisionedThroughput();
        long nowRead = current.readCapacityUnits();
        long nowWrite = current.writeCapacityUnits();
        if (nowRead == read && nowWrite == write) {
            return ActionResult.succeeded(String.format("table %s capacity is already %d/%d (read/write); nothing changed", table, read, write),
                    capacity(nowRead, nowWrite), capacity(read, write), results(nowRead, nowWrite, read, write), null);
        }
        dynamo.updateTable(b -> b.tableName(table).provisionedThroughput(t -> t.readCapacityUnits(read).writeCapacityUnits(write)));
        return ActionResult.succeeded(String.format("set table %s capacity back to %d/%d (read/write), from %d/%d", table, read, write, nowRead, nowWrite),
                capacity(nowRead, nowWrite), capacity(read, write), results(nowRead, nowWrite, read, write), null);
    }

    private static String table(Step step) {
        return step.parameterOrResource("table");
    }

    private static boolean onDemand(TableDescription description) {
        return description.billingModeSummary() != null && description.billingModeSummary().billingMode() == BillingMode.PAY_PER_REQUEST;
    }

    private static ActionResult onDemandResult(String table) {
        return ActionResult.succeeded("table " + table + " is on-demand (PAY_PER_REQUEST); it has no capacity to raise, nothing changed",
                Map.of("billingMode", "PAY_PER_REQUEST"), Map.of("billingMode", "PAY_PER_REQUEST"), Map.of("billingMode", "PAY_PER_REQUEST"), null);
    }

    private static long earlierCapacity(Step step, String key) {
        String value = Earlier.value(step, "before." + key, key + "Before");
        if (value == null || value.isBlank()) {
            throw new Step.InvalidStepException("nothing to undo: the step recorded no " + key + " before it (it changed nothing)");
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new Step.InvalidStepException("the step's recorded " + key + " is not a number: " + value);
        }
    }

    private static String undoText(String table, long read, long write) {
        return String.format("set DynamoDB table %s capacity back to %d/%d (read/write)", table, read, write);
    }

    private static Map<String, String> capacity(long read, long write) {
        return Map.of("readCapacityUnits", Long.toString(read), "writeCapacityUnits", Long.toString(write));
    }

    private static Map<String, String> results(long readBefore, long writeBefore, long read, long write) {
        return Map.of("readCapacityUnitsBefore", Long.toString(readBefore), "writeCapacityUnitsBefore", Long.toString(writeBefore),
                "readCapacityUnits", Long.toString(read), "writeCapacityUnits", Long.toString(write));
    }

    /** The step's factor and maximums, and the capacity they lead to. */
    private record Limits(double factor, long maxRead, long maxWrite) {
        static Limits of(Step step) {
            double factor = step.number("factor", DEFAULT_FACTOR);
            if (factor <= 1.0 || factor > 10.0) {
                throw new Step.InvalidStepException("factor must be above 1 and at most 10, was " + Numbers.text(factor));
            }
            return new Limits(factor, maximum(step, "maxReadCapacity"), maximum(step, "maxWriteCapacity"));
        }

        private static long maximum(Step step, String name) {
            return Numbers.whole(step, name, DEFAULT_MAX, 1, 1_000_000_000L);
        }

        /** The capacity the step sets from {@code current}: x factor, at most {@code max}, never lowered. */
        long target(long current, long max) {
            return Math.max(current, Math.min(max, (long) Math.ceil(current * factor)));
        }

        /**
         * From a capacity the step may have set: empty when no earlier capacity leads to it (not this step's
         * doing); else the earlier capacity, or an empty OptionalLong when several lead to it (a capped raise).
         * A capacity above the maximum was not raised by the step: it is its own earlier capacity.
         */
        Optional<OptionalLong> before(long capacity, long max) {
            if (capacity > max) {
                return Optional.of(OptionalLong.of(capacity));
            }
            if (capacity == max) {
                return Optional.of(OptionalLong.empty());
            }
            // ceil(b x factor) == capacity means (capacity - 1) / factor < b <= capacity / factor: at most one b, as factor > 1
            for (long b = (long) Math.floor((capacity - 1) / factor); b <= (long) Math.floor(capacity / factor); b++) {
                if (b >= 1 && target(b, max) == capacity) {
                    return Optional.of(OptionalLong.of(b));
                }
            }
            return Optional.empty();
        }
    }
}
