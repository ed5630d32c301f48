package dev.nightshift.workers.action;

import dev.nightshift.schema.RemediationRequest;

import java.util.Map;

/** The inputs of one step: the request's parameters and resource, with typed accessors. */
public record Step(RemediationRequest request) {
    public Map<String, String> parameters() {
        return request.getParameters();
    }

    public String resource() {
        return request.getResource();
    }

    /** A parameter, or the last segment of the resource (e.g. the table of {@code dynamodb:table/orders}). */
    public String parameterOrResource(String name) {
        String value = parameters().get(name);
        if (value != null && !value.isBlank()) {
            return value;
        }
        String resource = resource();
        if (resource == null || resource.isBlank()) {
            throw new InvalidStepException("step needs parameter '" + name + "' or a resource");
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

    public double number(String name, double fallback) {
        String value = parameters().get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new InvalidStepException("parameter '" + name + "' is not a number: " + value);
        }
    }

    /** A step whose inputs cannot work: permanent, never retried. */
    public static final class InvalidStepException extends RuntimeException {
        public InvalidStepException(String message) {
            super(message);
        }
    }
}
