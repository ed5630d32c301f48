package dev.nightshift.triage.service;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;

import java.util.Map;

/** {@code GET /v1/incidents/{id}} and {@code GET /v1/incidents?team=&state=}, answered from any instance. */
@Controller("/v1/incidents")
public class IncidentController {
    private final IncidentQueries queries;

    public IncidentController(IncidentQueries queries) {
        this.queries = queries;
    }

    @Get("/{id}")
    public HttpResponse<?> incident(@PathVariable String id, @QueryValue(defaultValue = "false") boolean local) {
        try {
            return queries.byId(id, local).<HttpResponse<?>>map(HttpResponse::ok)
                    .orElseGet(() -> HttpResponse.notFound(Map.of("error", "no incident " + id)));
        } catch (IncidentQueries.NotReady e) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
        }
    }

    @Get
    public HttpResponse<?> incidents(@Nullable @QueryValue String team, @Nullable @QueryValue String state,
                                     @QueryValue(defaultValue = "false") boolean local) {
        try {
            return HttpResponse.ok(queries.list(blankToNull(team), blankToNull(state), local));
        } catch (IncidentQueries.NotReady e) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
