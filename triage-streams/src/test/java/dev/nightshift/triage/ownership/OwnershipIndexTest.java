package dev.nightshift.triage.ownership;

import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Ownership;
import dev.nightshift.triage.testing.Alerts;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
}
