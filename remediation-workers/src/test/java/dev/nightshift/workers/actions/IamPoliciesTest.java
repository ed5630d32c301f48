package dev.nightshift.workers.actions;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/iam holds one least-privilege policy per action and nothing else; each action's test class holds its policy
 * to the calls it saw on the wire (see {@link AwsFake}).
 */
class IamPoliciesTest {
    @Test
    void everyActionHasAPolicyAndEveryPolicyAnAction() throws IOException {
        Set<String> actions;
        try (AwsClients clients = AwsClients.inRegion("eu-west-1", AnonymousCredentialsProvider.create())) {
            actions = Actions.standard(clients, Clock.systemUTC()).stream().map(RemediationAction::name).collect(Collectors.toSet());
        }
        try (Stream<Path> files = Files.list(IamPolicies.directory())) {
            Set<String> policies = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).collect(Collectors.toSet());
            assertThat(policies).isEqualTo(actions);
        }
    }

    /** Calls that IAM cannot scope to a resource: the only ones a policy may allow on "*". */
    private static final Set<String> UNSCOPED = Set.of("ec2:DescribeInstances", "cloudwatch:GetMetricData", "cloudtrail:LookupEvents");

    @Test
    void policiesAllowNamedCallsOnlyAndScopeThemToResourcesWhereIamCan() throws IOException {
        try (Stream<Path> files = Files.list(IamPolicies.directory())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode policy = AwsFake.JSON.readTree(Files.readString(file));
                assertThat(policy.path("Version").asText()).as(file.toString()).isEqualTo("2012-10-17");
                assertThat(policy.path("Statement").size()).as(file.toString()).isPositive();
                for (JsonNode statement : policy.path("Statement")) {
                    assertThat(statement.path("Effect").asText()).as(file.toString()).isEqualTo("Allow");
                    List<String> calls = texts(statement.path("Action"));
                    List<String> resources = texts(statement.path("Resource"));
                    assertThat(calls).as(file.toString()).isNotEmpty().allMatch(c -> c.matches("[a-z0-9]+:[A-Za-z]+"), "a named call, no wildcard");
                    assertThat(resources).as(file.toString()).isNotEmpty();
                    if (resources.contains("*")) {
                        assertThat(UNSCOPED).as("%s allows on every resource", file).containsAll(calls);
                    } else {
                        assertThat(resources).as(file.toString()).allMatch(r -> r.startsWith("arn:aws:"));
                    }
                }
            }
        }
    }

    private static List<String> texts(JsonNode node) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        List<String> texts = new java.util.ArrayList<>();
        node.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
