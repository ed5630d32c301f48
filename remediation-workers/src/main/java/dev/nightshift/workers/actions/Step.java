package dev.nightshift.workers.actions;

import dev.nightshift.schema.RemediationRequest;

import java.time.Instant;
import java.util.Map;

/**
 * The inputs of one step, as the runner rendered them: the request's parameters and resource, its
 * id (the idempotency token), and for a check or an undo what the step's earlier outcome recorded.
 */
public record Step(RemediationRequest request) {
    public Map<String, String> parameters() {
        return request.getParameters();
    }

    public String requestId() {
        return request.getRequestId();
    }

    public String resource() {
        return request.getResource();
    }

    public String region() {
        return request.getRegion();
    }

    /** For a check or an undo: the earlier outcome's results and before state ({@code before.<key>}). */
    public Map<String, String> earlier() {
        return request.getEarlier();
    }

    /** For a check: when the step started. */
    public Instant startedAt() {
        return request.getStartedAt();
    }

    /** A parameter, or the last segment of the resource (e.g. the table of {@code dynamodb:table/orders}). */
    public String parameterOrResource(String name) {
        String value = parameters().get(name);
        if (value != null && !value.isBlank()) {
            return value;
        }
        String last = resourceName();
        if (last == null) {
            throw new InvalidStepException("step needs parameter '" + name + "' or a resource");
        }
        return last;
    }

    /** The resource's last segment (after its last '/' or ':'), or null without a resource. */
    public String resourceName() {
        String resource = resource();
        if (resource == null || resource.isBlank()) {
            return null;
        }
        int slash = resource.lastIndexOf('/');
        int colon = resource.lastIndexOf(':');
        return resource.substring(Math.max(slash, colon) + 1);
    }

    public String required(String name) {
        String value = parameters().get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidStepException("step needs parameter '" + name + "'");
        }
        return value;
    }

    public String optional(String name, String fallback) {
        String value = parameters().get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public double number(String name, double fallback) {
        String value = parameters().get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        double number;
        try {
            number = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidStepException("parameter '" + name + "' is not a number: " + value);
        }
        if (!Double.isFinite(number)) {   // NaN passes every range check; infinity overflows the capacity maths
            throw new InvalidStepException("parameter '" + name + "' is not a finite number: " + value);
        }
        return number;
    }

    /** A step whose inputs cannot work: permanent, never retried. */
    public static final class InvalidStepException extends RuntimeException {
        public InvalidStepException(String message) {
            super(message);
        }
    }
}
