package dev.nightshift.notifier.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.nightshift.notifier.NotificationSamples;
import dev.nightshift.notifier.delivery.DeliveryException;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.nightshift.notifier.NotificationSamples.INCIDENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PagerDutyPager} against a local fake of PagerDuty's Events API v2: the events on the wire and what its answers become. */
class PagerDutyPagerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAYMENTS_KEY = "R0UTINGKEYPAYMENTS0000000000000A";
    private static final String CHECKOUT_KEY = "R0UTINGKEYCHECKOUT0000000000000B";
    private static final String ACCEPTED = "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"" + INCIDENT + "\"}";
    private WireMockServer pagerDuty;
    private PagerDutyPager pager;

    @BeforeEach
    void start() {
        pagerDuty = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        pagerDuty.start();
        pager = new PagerDutyPager(pagerDuty.baseUrl() + "/", Map.of("payments", PAYMENTS_KEY, "checkout", CHECKOUT_KEY));
    }

    @AfterEach
    void stop() {
        pagerDuty.stop();
    }

    @Test
    void aTriggerIsOneEventKeyedByTheIncidentWithTheTeamsRoutingKey() throws Exception {
        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202).withBody(ACCEPTED)));
        Notification page = NotificationSamples.notification(NotificationKind.PAGE_TRIGGER, "escalated", "page:" + INCIDENT + ":1")
                .setText("the run escalated: step scale-table failed").setRun(NotificationSamples.escalatedRun()).build();

        assertThat(pager.trigger("payments", page)).isEqualTo(INCIDENT);

        JsonNode event = only();
        assertThat(event.path("routing_key").asText()).isEqualTo(PAYMENTS_KEY);
        assertThat(event.path("event_action").asText()).isEqualTo("trigger");
        assertThat(event.path("dedup_key").asText()).isEqualTo(INCIDENT);
        JsonNode payload = event.path("payload");
        assertThat(payload.path("summary").asText())
                .isEqualTo("[HIGH] Throttled reads on orders-eu (payments/orders): the run escalated: step scale-table failed");
        assertThat(payload.path("severity").asText()).isEqualTo("error");
        assertThat(payload.path("source").asText()).isEqualTo("dynamodb:table/orders-eu");
        assertThat(payload.path("component").asText()).isEqualTo("orders");
        assertThat(payload.path("group").asText()).isEqualTo("payments");
        assertThat(payload.path("class").asText()).isEqualTo("database");
        assertThat(payload.path("timestamp").asText()).isEqualTo("2026-11-21T03:00:00Z");
        assertThat(payload.path("custom_details").path("incident_id").asText()).isEqualTo(INCIDENT);
        assertThat(payload.path("custom_details").path("run_status").asText()).isEqualTo("ESCALATED");
        assertThat(payload.path("custom_details").path("run_reason").asText()).isEqualTo("step scale-table failed: ValidationException");
        assertThat(event.path("links")).singleElement().satisfies(link -> {
            assertThat(link.path("href").asText()).isEqualTo("https://wiki.example.com/runbooks/dynamodb-throttling");
            assertThat(link.path("text").asText()).isEqualTo("runbook_url");
        });
    }

    @Test
    void eachTeamIsPagedWithItsOwnKeyAndATeamWithoutOneIsNot() throws Exception {
        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202).withBody(ACCEPTED)));

        pager.trigger("checkout", NotificationSamples.notification(NotificationKind.PAGE_TRIGGER, "unacknowledged", "page:" + INCIDENT + ":1").build());

        assertThat(only().path("routing_key").asText()).isEqualTo(CHECKOUT_KEY);
        assertThat(pager.pages("payments")).isTrue();
        assertThat(pager.pages("search")).isFalse();
        assertThatThrownBy(() -> pager.trigger("search", NotificationSamples.notification(NotificationKind.PAGE_TRIGGER, "escalated", "p").build()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse()).hasMessageContaining("search");
        assertThat(pagerDuty.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void resolveClosesTheIncidentsAlert() throws Exception {
        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202).withBody(ACCEPTED)));

        pager.resolve("payments", INCIDENT);

        JsonNode event = only();
        assertThat(event.path("event_action").asText()).isEqualTo("resolve");
        assertThat(event.path("dedup_key").asText()).isEqualTo(INCIDENT);
        assertThat(event.path("routing_key").asText()).isEqualTo(PAYMENTS_KEY);
    }

    @ParameterizedTest
    @CsvSource({"CRITICAL,critical", "HIGH,error", "MEDIUM,warning", "LOW,info", "INFO,info", "UNKNOWN,error"})
    void theIncidentsSeverityBecomesPagerDutys(Severity severity, String expected) throws Exception {
        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(202).withBody(ACCEPTED)));
        Notification page = NotificationSamples.notification(NotificationKind.PAGE_TRIGGER, "escalated", "page:" + INCIDENT + ":1")
                .setIncident(Incident.newBuilder(NotificationSamples.incident()).setSeverity(severity).build()).build();

        pager.trigger("payments", page);

        assertThat(only().path("payload").path("severity").asText()).isEqualTo(expected);
    }

    @Test
    void throttlingAndServerErrorsAreRetryableAndARefusedEventIsNot() {
        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "5")
                .withBody("{\"status\":\"throttle exceeded\",\"message\":\"Requests for this service are arriving too quickly.\"}")));
        assertThatThrownBy(() -> pager.resolve("payments", INCIDENT)).isInstanceOfSatisfying(DeliveryException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
        }).hasMessageContaining("429");

        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(502)));
        assertThatThrownBy(() -> pager.resolve("payments", INCIDENT))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue());

        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        assertThatThrownBy(() -> pager.resolve("payments", INCIDENT))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue()).hasMessageContaining("unreachable");

        pagerDuty.stubFor(post("/v2/enqueue").willReturn(aResponse().withStatus(400).withBody("{\"status\":\"invalid event\","
                + "\"message\":\"Event object is invalid\",\"errors\":[\"'routing_key' " + PAYMENTS_KEY + " is invalid\"]}")));
        assertThatThrownBy(() -> pager.trigger("payments", NotificationSamples.notification(NotificationKind.PAGE_TRIGGER, "escalated", "p").build()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("400", "Event object is invalid").doesNotContain(PAYMENTS_KEY);
                });
    }

    @Test
    void theRoutingKeysAreNotInThePagersDescription() {
        assertThat(pager.toString()).doesNotContain(PAYMENTS_KEY).doesNotContain(CHECKOUT_KEY).contains("payments", "checkout");
    }

    private JsonNode only() throws Exception {
        List<LoggedRequest> requests = pagerDuty.findAll(postRequestedFor(urlEqualTo("/v2/enqueue")));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getHeader("Content-Type")).startsWith("application/json");
        return JSON.readTree(requests.get(0).getBodyAsString());
    }
}
