package dev.nightshift.notifier.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.notifier.delivery.DeliveryException;
import dev.nightshift.notifier.jira.HttpFailures;
import dev.nightshift.schema.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pages through PagerDuty's Events API v2 ({@code POST <PAGERDUTY_URL>/v2/enqueue}), with each team's routing key
 * from the notifier's own configuration. PagerDuty answers 202 when it took the event; 429 and 5xx and an unreachable
 * PagerDuty are retryable, any other answer (400: the event or the key is refused) permanent. A routing key is never
 * in a log line or an exception.
 */
public final class PagerDutyPager implements Pager {
    /** The longest one call may take. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(PagerDutyPager.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALL = "POST /v2/enqueue";

    private final URI enqueue;
    private final Map<String, String> routingKeys;
    private final List<String> secrets;
    private final HttpClient http;

    /**
     * @param url         the Events API, e.g. {@code https://events.pagerduty.com}
     * @param routingKeys each team's routing key itself (resolved from its secret reference by the caller)
     */
    public PagerDutyPager(String url, Map<String, String> routingKeys) {
        this.enqueue = URI.create(url.replaceAll("/+$", "") + "/v2/enqueue");
        this.routingKeys = Map.copyOf(routingKeys);
        this.secrets = new ArrayList<>(routingKeys.values());
        this.http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public boolean pages(String team) {
        return team != null && routingKeys.containsKey(team);
    }

    @Override
    public String trigger(String team, Notification notification) {
        send(PagerDutyEvents.trigger(key(team), team, notification));
        LOG.info("PagerDuty paged team {} about incident {}", team, notification.getIncidentId());
        return notification.getIncidentId();
    }

    @Override
    public void resolve(String team, String incidentId) {
        send(PagerDutyEvents.resolve(key(team), incidentId));
        LOG.info("PagerDuty page of team {} about incident {} resolved", team, incidentId);
    }

    private String key(String team) {
        String key = team == null ? null : routingKeys.get(team);
        if (key == null) {
            throw new DeliveryException("team " + team + " has no PagerDuty routing key (PAGERDUTY_ROUTING_KEYS)", false, null);
        }
        return key;
    }

    private void send(ObjectNode event) {
        HttpRequest request = HttpRequest.newBuilder(enqueue).timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event.toString())).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw HttpFailures.unreachable("PagerDuty", CALL, e, secrets);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while calling PagerDuty", true, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        throw HttpFailures.refused("PagerDuty", CALL, status, response.headers().firstValue("Retry-After"), said(response.body()), secrets);
    }

    /** PagerDuty's own words about a refusal: its message and errors. */
    private static String said(String body) {
        try {
            JsonNode answer = JSON.readTree(body == null ? "" : body);
            if (answer != null && answer.isObject()) {
                List<String> said = new ArrayList<>();
                if (answer.hasNonNull("message")) {
                    said.add(answer.get("message").asText());
                }
                answer.path("errors").forEach(e -> said.add(e.asText()));
                return String.join("; ", said);
            }
        } catch (IOException e) {
            // not JSON: the body as it is
        }
        return body;
    }

    @Override
    public String toString() {
        return "PagerDutyPager[" + enqueue + ", teams=" + routingKeys.keySet() + "]";
    }
}
