package dev.nightshift.triage.ownership;

import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Ownership;
import dev.nightshift.triage.testing.Alerts;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OwnershipIndexTest {
    private static Ownership owns(String service, String team, String... patterns) {
        return Ownership.newBuilder().setService(service).setTeam(team).setResources(List.of(patterns))
                .setUpdatedAt(Instant.EPOCH).build();
    }

    private final OwnershipIndex index = new OwnershipIndex(List.of(
            owns("orders", "commerce", "dynamodb:orders-*"),
            owns("orders-eu", "commerce-eu", "dynamodb:orders-eu"),
            owns("payments", "payments", "ecs:payments/*", "lambda:pay-*"),
            owns("checkout", "storefront", "tag:service:checkout"),
            owns("search", "search", "label:app=search*", "resource:https://search.example.com/*")));

    private String serviceOf(dev.nightshift.schema.Alert alert) {
        return index.ownerOf(alert).map(Ownership::getService).orElse(null);
    }

    @Test
    void resourceKindPatternsMatchPlainTypedAndArnResources() {
        assertThat(serviceOf(Alerts.firing("f", "x").setResource("dynamodb:orders-us").build())).isEqualTo("orders");
        assertThat(serviceOf(Alerts.firing("f", "x").setResource("dynamodb:table/orders-us").build())).isEqualTo("orders");
        assertThat(serviceOf(Alerts.firing("f", "x").setResource("arn:aws:dynamodb:us-east-1:1:table/orders-us").build())).isEqualTo("orders");
        assertThat(serviceOf(Alerts.firing("f", "x").setResource("arn:aws:ecs:eu-west-1:1:service/payments/api").build())).isEqualTo("payments");
        assertThat(serviceOf(Alerts.firing("f", "x").setResource("arn:aws:lambda:eu-west-1:1:function:pay-refund").build())).isEqualTo("payments");
    }

    @Test
    void theMostSpecificPatternWins() {
        assertThat(serviceOf(Alerts.firing("f", "x").setResource("dynamodb:orders-eu").build())).isEqualTo("orders-eu");
    }

    @Test
    void cloudWatchDimensionsTagsAndLabelsFindTheService() {
        assertThat(serviceOf(Alerts.firing("f", "x").setLabels(Map.of("TableName", "orders-apac")).build())).isEqualTo("orders");
        assertThat(serviceOf(Alerts.firing("f", "x").setLabels(Map.of("ClusterName", "payments", "ServiceName", "web")).build()))
                .isEqualTo("payments");
        assertThat(serviceOf(Alerts.firing("f", "x").setLabels(Map.of("service", "checkout")).build())).isEqualTo("checkout");
        assertThat(serviceOf(Alerts.firing("f", "x").setLabels(Map.of("app", "search-api")).build())).isEqualTo("search");
        assertThat(serviceOf(Alerts.firing("f", "x").setResource("https://search.example.com/q").build())).isEqualTo("search");
    }

    @Test
    void explicitServiceHintWinsAndUnknownAlertsHaveNoService() {
        assertThat(serviceOf(Alerts.firing("f", "x").setService("checkout").setResource("dynamodb:orders-1").build())).isEqualTo("checkout");
        assertThat(serviceOf(Alerts.firing("f", "x").setResource("dynamodb:inventory").build())).isNull();
    }

    @Test
    void resolverFallsBackToTheTeamHintThenTheDefaultTeam() {
        OwnerResolver resolver = new OwnerResolver("unowned");
        Owner hinted = resolver.resolve(Alerts.firing("f", "x").setTeam("Data Platform").build(), index);
        assertThat(hinted.getTeam()).isEqualTo("data-platform");
        assertThat(resolver.resolve(Alerts.firing("f", "x").build(), index).getTeam()).isEqualTo("unowned");
        assertThat(resolver.resolve(Alerts.firing("f", "x").setLabels(Map.of("service", "checkout")).build(), index).getTeam())
                .isEqualTo("storefront");
    }

    @Test
    void badPatternsAreRefusedWithTheirSyntax() {
        assertThatThrownBy(() -> ResourcePattern.parse("orders-*")).hasMessageContaining("<kind>:<glob>");
        assertThatThrownBy(() -> ResourcePattern.parse("tag:service")).hasMessageContaining("tag:<key>:<glob>");
        assertThatThrownBy(() -> ResourcePattern.parse("label:service")).hasMessageContaining("label:<key>=<glob>");
        assertThatThrownBy(() -> ResourcePattern.parse("DynamoDB:x")).hasMessageContaining("lower case");
    }

    @Test
    void aKindThatIsAnotherNameForOneTriageDerivesIsKeptWithAWarningThatSaysWhichWasMeant() {
        assertThat(ResourcePattern.parse("dynamo:orders-*").warning()).hasValueSatisfying(w -> assertThat(w)
                .contains("'dynamo:orders-*'").contains("did you mean 'dynamodb:orders-*'?"));
        assertThat(ResourcePattern.parse("alb:app/checkout/*").warning()).hasValueSatisfying(w -> assertThat(w)
                .contains("did you mean 'elb:app/checkout/*'?"));
        assertThat(ResourcePattern.parse("lamda:pay-*").warning()).hasValueSatisfying(w -> assertThat(w).contains("'lambda:pay-*'"));
        // the kinds triage derives, kinds from other ARNs (s3, sns) and the other pattern forms draw none
        for (String fine : List.of("dynamodb:orders-*", "ecs:payments/*", "lambda:pay-*", "ec2:i-0abc*", "rds:orders-db",
                "sqs:orders-*", "elb:app/checkout/*", "asg:web-*", "s3:invoices", "sns:alerts-*", "tag:service:dynamo",
                "label:table=dynamo", "resource:dynamo:orders")) {
            assertThat(ResourcePattern.parse(fine).warning()).as(fine).isEmpty();
        }
        assertThat(OwnershipFile.warnings(List.of(Ownership.newBuilder().setService("orders").setTeam("commerce")
                .setResources(List.of("dynamodb:orders-*", "ddb:orders-*")).setUpdatedAt(Instant.EPOCH).build())))
                .singleElement().asString().startsWith("service 'orders': resource pattern 'ddb:orders-*'");
    }

    @Test
    void findsTheSameOwnerAsCheckingEveryPatternInTurn() {
        Random random = new Random(7);
        for (int table = 0; table < 200; table++) {
            List<Ownership> ownerships = new ArrayList<>();
            int services = 1 + random.nextInt(30);
            for (int s = 0; s < services; s++) {
                List<String> patterns = new ArrayList<>();
                for (int p = random.nextInt(4); p >= 0; p--) {
                    patterns.add(switch (random.nextInt(5)) {
                        case 0, 1 -> List.of("dynamodb", "ecs", "lambda").get(random.nextInt(3)) + ":" + glob(random);
                        case 2 -> "tag:service:" + glob(random);
                        case 3 -> "label:app=" + glob(random);
                        default -> "resource:" + List.of("dynamodb:", "https://x/", "").get(random.nextInt(3)) + glob(random);
                    });
                }
                ownerships.add(owns("svc-" + s + "-" + random.nextInt(1000), "team", patterns.toArray(String[]::new)));
            }
            OwnershipIndex indexed = new OwnershipIndex(ownerships);
            for (int a = 0; a < 200; a++) {
                dev.nightshift.schema.Alert alert = randomAlert(random);
                assertThat(indexed.ownerOf(alert).map(Ownership::getService))
                        .as("alert %s %s over %s", alert.getResource(), alert.getLabels(), ownerships.stream()
                                .map(o -> o.getService() + o.getResources()).toList())
                        .isEqualTo(everyPatternInTurn(ownerships, alert).map(Ownership::getService));
            }
        }
    }

    /** The rule itself: every pattern of every service, services in name order; the most literal characters win, the first found among equals. */
    private static Optional<Ownership> everyPatternInTurn(List<Ownership> ownerships, dev.nightshift.schema.Alert alert) {
        List<Ownership> sorted = new ArrayList<>(ownerships);
        sorted.sort(Comparator.comparing(Ownership::getService));
        List<String> ids = ResourceIds.of(alert);
        Ownership best = null;
        int bestScore = -1;
        for (Ownership ownership : sorted) {
            for (String text : ownership.getResources()) {
                ResourcePattern pattern;
                try {
                    pattern = ResourcePattern.parse(text);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (pattern.literalLength() > bestScore && matches(pattern, ids, alert)) {
                    best = ownership;
                    bestScore = pattern.literalLength();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether a pattern matches any of the alert's resource ids, its raw resource or its label's value. */
    private static boolean matches(ResourcePattern pattern, List<String> ids, dev.nightshift.schema.Alert alert) {
        return switch (pattern.kind()) {
            case RESOURCE_ID -> ids.stream().anyMatch(pattern::globMatches);
            case RAW_RESOURCE -> alert.getResource() != null && pattern.globMatches(alert.getResource());
            case LABEL -> alert.getLabels().get(pattern.key()) != null && pattern.globMatches(alert.getLabels().get(pattern.key()));
        };
    }

    /** Short names over a small alphabet, so that patterns overlap and share prefixes; sometimes a wildcard. */
    private static String glob(Random random) {
        StringBuilder glob = new StringBuilder(name(random));
        if (random.nextInt(3) > 0) {
            glob.insert(random.nextInt(glob.length() + 1), random.nextInt(4) == 0 ? '?' : '*');
        }
        return glob.toString();
    }

    private static String name(Random random) {
        StringBuilder name = new StringBuilder();
        for (int i = random.nextInt(5); i > 0; i--) {
            name.append("ab-/".charAt(random.nextInt(4)));
        }
        return name.toString();
    }

    private static dev.nightshift.schema.Alert randomAlert(Random random) {
        var alert = Alerts.firing("f", "x");
        String name = name(random);
        switch (random.nextInt(5)) {
            case 0 -> alert.setResource(List.of("dynamodb", "ecs", "lambda").get(random.nextInt(3)) + ":" + name);
            case 1 -> alert.setResource("arn:aws:dynamodb:eu-west-1:1:table/" + name);
            case 2 -> alert.setResource("https://x/" + name);
            case 3 -> alert.setResource(name);
            default -> alert.setResource(null);
        }
        Map<String, String> labels = new HashMap<>();
        for (String key : List.of("TableName", "FunctionName", "service", "app", "env")) {
            if (random.nextBoolean()) {
                labels.put(key, name(random));
            }
        }
        return alert.setLabels(labels).build();
    }
}
