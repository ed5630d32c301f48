package dev.nightshift.triage.service;

import dev.nightshift.schema.IncidentState;
import dev.nightshift.triage.ownership.OwnerResolver;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;

import java.util.Arrays;
import java.util.Map;

/**
 * {@code GET /v1/incidents/{id}} and {@code GET /v1/incidents?team=&state=}, answered from any instance. The
 * team is matched as the ownership file's team becomes a topic name ({@code Payments} finds {@code payments});
 * a state that is not an incident state is refused with 400 and the states there are.
 */
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
        String wantedState = blankToNull(state);
        if (wantedState != null && Arrays.stream(IncidentState.values()).noneMatch(s -> s.name().equalsIgnoreCase(wantedState))) {
            return HttpResponse.badRequest(Map.of("error", "unknown state '" + wantedState + "'; an incident is one of "
                    + Arrays.toString(IncidentState.values())));
        }
        String wantedTeam = blankToNull(team);
        if (wantedTeam != null) {
            String asTopicName = OwnerResolver.teamName(wantedTeam);
            if (asTopicName == null) {
                return HttpResponse.badRequest(Map.of("error", "not a team name: a team is named in a topic name, "
                        + "in at most 100 characters"));
            }
            wantedTeam = asTopicName;
        }
        try {
            return HttpResponse.ok(queries.list(wantedTeam, wantedState, local));
        } catch (IncidentQueries.NotReady e) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
