package dev.nightshift.workers.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local HTTP fake of AWS for one action's test class: the real SDK clients ({@link AwsClients}, pointed at it the
 * standard way, by {@code aws.endpointUrl}) talk to it; tests stub answers and read the requests. It names each
 * request's IAM action (the signing service and the operation) and, after the class, holds the action's policy in
 * {@code deploy/iam/<action>.json} to them: the policy allows every call seen, and when the whole class ran, names
 * no call that was not seen.
 */
final class AwsFake implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    /** Signing names whose IAM prefix differs. */
    private static final Map<String, String> IAM_PREFIX = Map.of("monitoring", "cloudwatch");

    private final String action;
    private final Set<String> seen = new TreeSet<>();
    private WireMockServer server;
    private AwsClients clients;
    private int testsRun;

    AwsFake(String action) {
        this.action = action;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String earlier = System.getProperty("aws.endpointUrl");
        System.setProperty("aws.endpointUrl", server.baseUrl());
        try {
            clients = AwsClients.inRegion("eu-west-1", StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test-secret")));
        } finally {   // the SDK reads it while building the clients: leave the JVM as it was
            if (earlier == null) {
                System.clearProperty("aws.endpointUrl");
            } else {
                System.setProperty("aws.endpointUrl", earlier);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        testsRun++;
        for (LoggedRequest request : server.findAll(anyRequestedFor(anyUrl()))) {
            seen.add(iamAction(request));
        }
        server.resetAll();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            Set<String> allowed = IamPolicies.actions(action);
            assertThat(allowed).as("deploy/iam/%s.json allows every call the action made", action).containsAll(seen);
            long tests = Arrays.stream(context.getRequiredTestClass().getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class)).count();
            if (testsRun >= tests) {
                assertThat(seen).as("deploy/iam/%s.json allows only calls the action's tests saw it make", action).containsAll(allowed);
            }
        } finally {
            clients.close();
            server.stop();
        }
    }

    AwsClients clients() {
        return clients;
    }

    WireMockServer server() {
        return server;
    }

    /** The IAM action a request needs: the signing service's prefix and the operation's name. */
    static String iamAction(LoggedRequest request) {
        Matcher scope = SCOPE.matcher(request.getHeader("Authorization"));
        assertThat(scope.find()).as("a signed request: %s", request.getHeader("Authorization")).isTrue();
        String service = scope.group(2);
        return IAM_PREFIX.getOrDefault(service, service) + ":" + operation(request);
    }

    private static String operation(LoggedRequest request) {
        String target = request.getHeader("X-Amz-Target");
        if (target != null) {
            return target.substring(target.lastIndexOf('.') + 1);
        }
        String url = request.getUrl();
        if (url.startsWith("/service/") && url.contains("/operation/")) {   // Smithy RPC v2 CBOR
            return url.substring(url.lastIndexOf('/') + 1);
        }
        if (url.matches("/\\d{4}-\\d{2}-\\d{2}/functions/[^/]+/concurrency")) {   // Lambda's REST paths
            return switch (request.getMethod().getName()) {
                case "GET" -> "GetFunctionConcurrency";
                case "PUT" -> "PutFunctionConcurrency";
                case "DELETE" -> "DeleteFunctionConcurrency";
                default -> throw new AssertionError("no Lambda operation is " + request.getMethod() + " " + url);
            };
        }
        String query = query(request).get("Action");   // the EC2 and Query protocols
        if (query != null) {
            return query;
        }
        throw new AssertionError("cannot tell the operation of " + request.getMethod() + " " + url);
    }

    /** A form-encoded body (the EC2 protocol) as a map. */
    static Map<String, String> query(LoggedRequest request) {
        Map<String, String> values = new TreeMap<>();
        if (!RequestMethod.POST.getName().equals(request.getMethod().getName()) || request.getBodyAsString().isEmpty()) {
            return values;
        }
        for (String pair : request.getBodyAsString().split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** Answers a JSON-protocol call ({@code X-Amz-Target}) with a body. */
    void json(String target, String body) {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(target)).willReturn(jsonAnswer(200, body)));
    }

    /** Answers a JSON-protocol call with an AWS error. */
    void jsonError(String target, int status, String type, String message) {
        server.stubFor(post("/").withHeader("X-Amz-Target", equalTo(target))
                .willReturn(jsonAnswer(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}")));
    }

    void stub(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    static ResponseDefinitionBuilder jsonAnswer(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body);
    }

    /** Answers an EC2 call (the {@code Action} of its form body) with an XML body. */
    void ec2(String operation, String xml) {
        server.stubFor(post("/").withRequestBody(containing("Action=" + operation + "&"))
                .willReturn(aResponse().withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(xml)));
    }

    /** The requests of one JSON-protocol operation, oldest first. */
    List<LoggedRequest> requests(String target) {
        return server.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target)));
    }

    /** The bodies of one JSON-protocol operation's requests, parsed. */
    List<JsonNode> bodies(String target) {
        return requests(target).stream().map(r -> {
            try {
                return JSON.readTree(r.getBodyAsString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** Every request made, as IAM actions, in order. */
    List<String> calls() {
        List<LoggedRequest> all = new ArrayList<>(server.findAll(anyRequestedFor(anyUrl())));
        all.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return all.stream().map(AwsFake::iamAction).toList();
    }
}
