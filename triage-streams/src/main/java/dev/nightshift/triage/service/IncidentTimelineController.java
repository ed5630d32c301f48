package dev.nightshift.triage.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.triage.analytics.IncidentTimeline;
import dev.nightshift.triage.analytics.PostmortemDraft;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/incidents/{id}/timeline} (JSON, in time order) and {@code GET /v1/incidents/{id}/postmortem}
 * (a Markdown draft), answered from any instance: the one holding the incident's history answers.
 */
@Controller("/v1/incidents")
public class IncidentTimelineController {
    private static final String MARKDOWN = "text/markdown";
    private final AnalyticsQueries queries;
    private final ObjectMapper json = new ObjectMapper();

    public IncidentTimelineController(AnalyticsQueries queries) {
        this.queries = queries;
    }

    @Get(value = "/{id}/timeline", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> timeline(@PathVariable String id, @QueryValue(defaultValue = "false") boolean local) {
        return answer(id, local, "timeline", MediaType.APPLICATION_JSON, history -> {
            List<Map<String, Object>> entries = IncidentTimeline.of(history).stream().map(e -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("at", e.at().toString());
                entry.put("kind", e.kind());
                entry.put("text", e.text());
                entry.put("details", e.details());
                return entry;
            }).toList();
            try {
                return json.writeValueAsString(Map.of("incidentId", id, "entries", entries));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Get(value = "/{id}/postmortem", produces = {MARKDOWN, MediaType.TEXT_PLAIN})
    public HttpResponse<?> postmortem(@PathVariable String id, @QueryValue(defaultValue = "false") boolean local) {
        return answer(id, local, "postmortem", MARKDOWN, PostmortemDraft::markdown);
    }

    private HttpResponse<?> answer(String id, boolean local, String what, String type,
                                   java.util.function.Function<dev.nightshift.schema.IncidentHistory, String> render) {
        try {
            return queries.atHolder(id, local, history -> history
                    .<HttpResponse<?>>map(h -> HttpResponse.ok(render.apply(h)).contentType(type + "; charset=utf-8"))
                    .orElseGet(() -> notFound(id, type)), host -> {
                java.net.http.HttpResponse<String> answer = queries.ask(host, "/v1/incidents/"
                        + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "/" + what + "?local=true", type);
                if (answer.statusCode() == 404) {
                    return notFound(id, type);
                }
                if (answer.statusCode() != 200) {
                    throw new IncidentQueries.NotReady("instance " + host + " answered " + answer.statusCode());
                }
                return HttpResponse.ok(answer.body()).contentType(type + "; charset=utf-8");
            });
        } catch (IncidentQueries.NotReady e) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
        }
    }

    /** A 404 in the route's own kind of answer: a JSON error for the timeline, a plain line for the Markdown draft. */
    private static HttpResponse<?> notFound(String id, String type) {
        String error = "no records of incident " + id;
        if (type.equals(MediaType.APPLICATION_JSON)) {
            return HttpResponse.notFound(Map.of("error", error));
        }
        return HttpResponse.notFound(error + "\n").contentType(MediaType.TEXT_PLAIN + "; charset=utf-8");
    }
}
