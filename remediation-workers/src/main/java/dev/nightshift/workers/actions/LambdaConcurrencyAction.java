package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.lambda.LambdaClient;

import java.util.Map;
import java.util.Optional;

/**
 * Sets a Lambda function's reserved concurrency (0 stops it from running; a number guarantees and caps its share of
 * the account's concurrency), never above {@code maxReservedConcurrency}. The reservation the step found is the
 * undo: that number again, or no reservation at all ("unreserved").
 */
public final class LambdaConcurrencyAction implements RemediationAction {
    static final long DEFAULT_MAX = 200;
    static final String UNRESERVED = "unreserved";

    private static final ActionSpec SPEC = new ActionSpec("lambda-concurrency", ActionSpec.Kind.CHANGE,
            Map.of("function", "the function's name or ARN (default: from the resource lambda:function/NAME)",
                    "reservedConcurrency", "the reserved concurrency to set, 0 or more (0 stops the function)"),
            Map.of("maxReservedConcurrency", "reservedConcurrency is capped at this (default 200)"),
            true);

    private final LambdaClient lambda;

    public LambdaConcurrencyAction(LambdaClient lambda) {
        this.lambda = lambda;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public String plan(Step step) {
        String function = function(step);
        long asked = asked(step);
        long target = target(step);
        return "set the reserved concurrency of Lambda function " + function + " to " + target
                + (target < asked ? " (asked " + asked + ", capped at the maximum " + target + ")" : "");
    }

    @Override
    public ActionResult execute(Step step) {
        String function = function(step);
        long target = target(step);
        String before = current(function);
        Map<String, String> beforeState = Map.of("reservedConcurrency", before);
        Map<String, String> after = Map.of("reservedConcurrency", Long.toString(target));
        Map<String, String> results = Map.of("reservedConcurrencyBefore", before, "reservedConcurrency", Long.toString(target));
        if (before.equals(Long.toString(target))) {
            return ActionResult.succeeded("Lambda function " + function + " already has reserved concurrency " + target + "; nothing changed",
                    beforeState, after, results, null);
        }
        lambda.putFunctionConcurrency(b -> b.functionName(function).reservedConcurrentExecutions((int) target));
        return ActionResult.succeeded("set the reserved concurrency of Lambda function " + function + " to " + target + " (was " + before + ")",
                beforeState, after, results, undoText(function, before));
    }

    /** The function proves the step done when its reservation is the step's target; what it was before is then unknown. */
    @Override
    public Optional<ActionResult> recover(Step step) {
        String function = function(step);
        long target = target(step);
        if (!current(function).equals(Long.toString(target))) {
            return Optional.empty();
        }
        return Optional.of(ActionResult.succeeded("Lambda function " + function + " has reserved concurrency " + target
                        + ", as the step sets it (the reservation before is not known, so there is no undo)",
                Map.of(), Map.of("reservedConcurrency", Long.toString(target)), Map.of("reservedConcurrency", Long.toString(target)), null));
    }

    @Override
    public ActionResult undo(Step step) {
        String function = function(step);
        String before = Earlier.value(step, "before.reservedConcurrency", "reservedConcurrencyBefore");
        if (before == null || before.isBlank()) {
            throw new Step.InvalidStepException("nothing to undo: the step recorded no reserved concurrency before it");
        }
        String now = current(function);
        Map<String, String> results = Map.of("reservedConcurrencyBefore", now, "reservedConcurrency", before);
        if (now.equals(before)) {
            return ActionResult.succeeded("Lambda function " + function + " is already " + describe(before) + "; nothing changed",
                    Map.of("reservedConcurrency", now), Map.of("reservedConcurrency", before), results, null);
        }
        if (before.equals(UNRESERVED)) {
            lambda.deleteFunctionConcurrency(b -> b.functionName(function));
        } else {
            int reserved;
            try {
                reserved = Integer.parseInt(before.trim());
            } catch (NumberFormatException e) {
                throw new Step.InvalidStepException("the step's recorded reserved concurrency is not a number: " + before);
            }
            lambda.putFunctionConcurrency(b -> b.functionName(function).reservedConcurrentExecutions(reserved));
        }
        return ActionResult.succeeded(undoText(function, before) + " (was " + now + ")",
                Map.of("reservedConcurrency", now), Map.of("reservedConcurrency", before), results, null);
    }

    /** The current reservation: a number, or "unreserved". */
    private String current(String function) {
        Integer reserved = lambda.getFunctionConcurrency(b -> b.functionName(function)).reservedConcurrentExecutions();
        return reserved == null ? UNRESERVED : reserved.toString();
    }

    private static String undoText(String function, String before) {
        return before.equals(UNRESERVED) ? "remove the reserved concurrency of Lambda function " + function + " (back to unreserved)"
                : "set the reserved concurrency of Lambda function " + function + " back to " + before;
    }

    private static String describe(String reservation) {
        return reservation.equals(UNRESERVED) ? UNRESERVED : "at reserved concurrency " + reservation;
    }

    /**
     * The function: the parameter (a name or ARN), else from the resource: what follows {@code function/} or
     * {@code function:} (an ARN's qualifier, a version or alias, is left out: the reservation is the function's), or
     * the last segment of a {@code lambda:NAME} resource.
     */
    private static String function(Step step) {
        String function = step.optional("function", null);
        if (function != null) {
            return function.trim();
        }
        String resource = step.resource();
        if (resource != null) {
            for (String marker : new String[]{"function:", "function/"}) {
                int at = resource.indexOf(marker);
                if (at >= 0) {
                    String name = resource.substring(at + marker.length()).split("[:/]")[0];
                    if (!name.isBlank()) {
                        return name;
                    }
                }
            }
            if (resource.startsWith("lambda:") && step.resourceName() != null && !step.resourceName().isBlank()) {
                return step.resourceName();
            }
        }
        throw new Step.InvalidStepException("step needs parameter 'function' or a resource lambda:function/NAME");
    }

    private static long asked(Step step) {
        step.required("reservedConcurrency");
        return Numbers.whole(step, "reservedConcurrency", 0, 0, 1_000_000);
    }

    private static long target(Step step) {
        return Math.min(asked(step), Numbers.whole(step, "maxReservedConcurrency", DEFAULT_MAX, 0, 1_000_000));
    }
}
