package dev.nightshift.triage.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.triage.analytics.AnalyticsFigures;
import dev.nightshift.triage.analytics.AnalyticsWindow;
import dev.nightshift.triage.analytics.Coverage;
import dev.nightshift.triage.analytics.Csv;
import dev.nightshift.triage.analytics.IncidentFact;
import dev.nightshift.triage.analytics.TeamReport;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The analytics API: {@code /v1/analytics/mttr} (per group, or per group and day or week with {@code per}),
 * {@code /teams}, {@code /coverage}, {@code /candidates} (figures over the closed incidents of a window, gathered from
 * every instance) and {@code /facts} (those incidents, one object each). The tables are JSON, or CSV with
 * {@code Accept: text/csv} or {@code format=csv}.
 */
@Controller("/v1/analytics")
public class AnalyticsController {
    private static final String CSV = "text/csv";
    private final AnalyticsQueries queries;
    private final ObjectMapper json = new ObjectMapper();

    public AnalyticsController(AnalyticsQueries queries) {
        this.queries = queries;
    }

    @Get(value = "/mttr", produces = {MediaType.APPLICATION_JSON, CSV})
    public HttpResponse<?> mttr(@Nullable @QueryValue String by, @Nullable @QueryValue String window, @Nullable @QueryValue String until,
                                @Nullable @QueryValue String per, @Nullable @QueryValue String format,
                                @Nullable @Header("Accept") String accept) {
        AnalyticsFigures.Dimension dimension = AnalyticsFigures.Dimension.parse(by == null ? "team" : by).orElse(null);
        if (dimension == null) {
            return badRequest("by must be one of " + Arrays.stream(AnalyticsFigures.Dimension.values())
                    .map(AnalyticsFigures.Dimension::field).toList());
        }
        AnalyticsFigures.Period period = per == null || per.isBlank() ? null : AnalyticsFigures.Period.parse(per).orElse(null);
        if (period == null && per != null && !per.isBlank()) {
            return badRequest("per must be one of " + Arrays.stream(AnalyticsFigures.Period.values())
                    .map(AnalyticsFigures.Period::label).toList());
        }
        AnalyticsFigures.GroupFigures empty = new AnalyticsFigures.GroupFigures("", 0, null, null, null, null, null, null, null,
                null, 0, 0);
        return answer(window, "7d", until, facts -> {
            if (period != null) {
                return table(List.copyOf(new AnalyticsFigures.PeriodFigures(Instant.EPOCH, empty).row(dimension).keySet()),
                        AnalyticsFigures.byPeriod(facts, dimension, period).stream().map(p -> p.row(dimension)).toList(), format, accept);
            }
            return table(List.copyOf(empty.row(dimension).keySet()),
                    AnalyticsFigures.byGroup(facts, dimension).stream().map(g -> g.row(dimension)).toList(), format, accept);
        });
    }

    @Get("/teams")
    public HttpResponse<?> teams(@Nullable @QueryValue String window, @Nullable @QueryValue String until,
                                 @QueryValue(defaultValue = "5") int noisiest) {
        return answer(window, "7d", until, facts -> ok(TeamReport.of(facts, queries.hours(), Math.max(0, noisiest))));
    }

    @Get(value = "/coverage", produces = {MediaType.APPLICATION_JSON, CSV})
    public HttpResponse<?> coverage(@Nullable @QueryValue String window, @Nullable @QueryValue String until,
                                    @Nullable @QueryValue String format, @Nullable @Header("Accept") String accept) {
        return answer(window, "all", until, facts -> table(coverageHeader(),
                Coverage.of(facts).stream().map(Coverage.KindCoverage::row).toList(), format, accept));
    }

    @Get(value = "/candidates", produces = {MediaType.APPLICATION_JSON, CSV})
    public HttpResponse<?> candidates(@Nullable @QueryValue String window, @Nullable @QueryValue String until,
                                      @QueryValue(defaultValue = "10") int limit, @Nullable @QueryValue String format,
                                      @Nullable @Header("Accept") String accept) {
        return answer(window, "all", until, facts -> table(coverageHeader(), Coverage.candidates(facts).stream()
                .limit(Math.max(0, limit)).map(Coverage.KindCoverage::row).toList(), format, accept));
    }

    @Get("/facts")
    public HttpResponse<?> facts(@Nullable @QueryValue String window, @Nullable @QueryValue String until,
                                 @QueryValue(defaultValue = "false") boolean local) {
        return answer(window, "all", until, local, this::ok);
    }

    private HttpResponse<?> answer(String window, String defaultWindow, String until, Function<List<IncidentFact>, HttpResponse<?>> figures) {
        return answer(window, defaultWindow, until, false, figures);
    }

    /** The figures over the window's incidents, or 400 for a window or end that does not read, 503 while not ready. */
    private HttpResponse<?> answer(String window, String defaultWindow, String until, boolean local,
                                   Function<List<IncidentFact>, HttpResponse<?>> figures) {
        AnalyticsWindow parsed = AnalyticsWindow.parse(window == null || window.isBlank() ? defaultWindow : window).orElse(null);
        if (parsed == null) {
            return badRequest("window must be one of " + AnalyticsWindow.labels());
        }
        Instant end;
        try {
            end = until == null || until.isBlank() ? Instant.now() : Instant.parse(until);
        } catch (DateTimeParseException e) {
            return badRequest("until must be an ISO-8601 instant such as 2026-11-21T10:00:00Z");
        }
        try {
            return figures.apply(queries.facts(parsed, end, local));
        } catch (IncidentQueries.NotReady e) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
        }
    }

    private HttpResponse<?> table(List<String> header, List<Map<String, Object>> rows, String format, String accept) {
        boolean csv = "csv".equalsIgnoreCase(format) || (format == null && accept != null && accept.toLowerCase().contains(CSV));
        if (csv) {
            return HttpResponse.ok(Csv.of(header, rows)).contentType(MediaType.of(CSV + "; charset=utf-8"));
        }
        return ok(rows);
    }

    private static List<String> coverageHeader() {
        return List.copyOf(new Coverage.KindCoverage("", "", List.of(), 0, 0, 0, 0, 0, 0, null, 0, 0).row().keySet());
    }

    private HttpResponse<?> ok(Object body) {
        try {
            return HttpResponse.ok(json.writeValueAsString(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("figures that do not write as JSON: " + e.getMessage(), e);
        }
    }

    private static HttpResponse<?> badRequest(String message) {
        return HttpResponse.badRequest(Map.of("error", message));
    }
}
