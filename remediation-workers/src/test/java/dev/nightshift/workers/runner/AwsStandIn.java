package dev.nightshift.workers.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A local HTTP stand-in for the three AWS APIs of {@link TestPlaybook}'s steps, which the workers' real actions call
 * through the real SDK (pointed at it by {@code AWS_ENDPOINT_URL}): CloudTrail's LookupEvents (no events), Lambda's
 * Get/PutFunctionConcurrency (every function is reserved at 20 and stays so: a change never shows on the resource, so
 * an interrupted one cannot be proven) and DynamoDB's DescribeTable/UpdateTable (100/100 provisioned). It can hold one
 * function's change in flight, and it counts the calls that read or change each resource, so that a test counts what
 * each step's request made.
 */
final class AwsStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOOKUP_EVENTS = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
    private static final String DESCRIBE_TABLE = "DynamoDB_20120810.DescribeTable";
    private static final String UPDATE_TABLE = "DynamoDB_20120810.UpdateTable";
    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").asynchronousResponseEnabled(true));

    AwsStandIn() {
        server.start();
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(LOOKUP_EVENTS)).willReturn(json("{\"Events\":[]}")));
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(DESCRIBE_TABLE)).willReturn(json("""
                {"Table":{"TableName":"t","TableStatus":"ACTIVE","BillingModeSummary":{"BillingMode":"PROVISIONED"},
                  "ProvisionedThroughput":{"ReadCapacityUnits":100,"WriteCapacityUnits":100}}}""")));
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(UPDATE_TABLE))
                .willReturn(json("{\"TableDescription\":{\"TableName\":\"t\",\"TableStatus\":\"UPDATING\"}}")));
        server.stubFor(get(urlPathMatching("/2019-09-30/functions/[^/]+/concurrency")).willReturn(json("{\"ReservedConcurrentExecutions\":20}")));
        server.stubFor(put(urlPathMatching("/2017-10-31/functions/[^/]+/concurrency")).willReturn(json("{\"ReservedConcurrentExecutions\":50}")));
    }

    /** What the workers are given as {@code AWS_ENDPOINT_URL}. */
    String url() {
        return server.baseUrl();
    }

    /** The reserved-concurrency change of {@code function} is answered only after {@code delay}: it is in flight meanwhile. */
    AwsStandIn hold(String function, Duration delay) {
        server.stubFor(put(urlEqualTo(concurrencyPath(function))).atPriority(1)
                .willReturn(json("{\"ReservedConcurrentExecutions\":50}").withFixedDelay((int) delay.toMillis())));
        return this;
    }

    /** CloudTrail lookups of the events of {@code resourceName}. */
    long trailLookups(String resourceName) {
        return server.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(LOOKUP_EVENTS))).stream()
                .filter(r -> body(r).path("LookupAttributes").path(0).path("AttributeValue").asText().equals(resourceName)).count();
    }

    /** Changes of the reserved concurrency of {@code function}. */
    long concurrencyChanges(String function) {
        return server.findAll(putRequestedFor(urlEqualTo(concurrencyPath(function)))).size();
    }

    /** Changes of the provisioned capacity of {@code table}. */
    long capacityChanges(String table) {
        return server.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(UPDATE_TABLE))).stream()
                .filter(r -> body(r).path("TableName").asText().equals(table)).count();
    }

    /**
     * The calls that made one step's request, found by what the request named: the resource in its rendered inputs
     * (an outcome's {@code inputs}) and its action.
     */
    long callsFor(String action, Map<String, String> inputs) {
        return switch (action) {
            case "cloudtrail-events" -> trailLookups(inputs.get("resourceName"));
            case "lambda-concurrency" -> concurrencyChanges(inputs.get("function"));
            case "dynamodb-scale" -> capacityChanges(inputs.get("table"));
            default -> throw new IllegalArgumentException("the stand-in does not serve " + action);
        };
    }

    private static String concurrencyPath(String function) {
        return "/2017-10-31/functions/" + function + "/concurrency";
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    @Override
    public void close() {
        server.stop();
    }
}
