package dev.nightshift.ingest.web;

import dev.nightshift.ingest.IngestRequest;
import dev.nightshift.ingest.IngestResponse;
import dev.nightshift.ingest.IngestService;
import dev.nightshift.ingest.IngestSource;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The alert endpoints, one per source; each hands the raw request to {@link IngestService} and
 * answers with what it says, the body written as JSON by the framework. The service does its work
 * on its own bounded worker pool, so the future returned here completes (and the answer leaves) only
 * once the broker has answered, without an event loop waiting for it.
 */
@Controller("/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.ALL)
public class AlertsController {
    private final IngestService service;
    private final IngestMetrics metrics;

    public AlertsController(IngestService service, IngestMetrics metrics) {
        this.service = service;
        this.metrics = metrics;
    }

    @Post
    public CompletableFuture<HttpResponse<Map<String, Object>>> generic(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return handle(IngestSource.GENERIC, request, body);
    }

    @Post("/cloudwatch")
    public CompletableFuture<HttpResponse<Map<String, Object>>> cloudwatch(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return handle(IngestSource.CLOUDWATCH, request, body);
    }

    @Post("/datadog")
    public CompletableFuture<HttpResponse<Map<String, Object>>> datadog(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return handle(IngestSource.DATADOG, request, body);
    }

    @Post("/alertmanager")
    public CompletableFuture<HttpResponse<Map<String, Object>>> alertmanager(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return handle(IngestSource.ALERTMANAGER, request, body);
    }

    private CompletableFuture<HttpResponse<Map<String, Object>>> handle(IngestSource source, HttpRequest<?> request, byte[] body) {
        HttpHeaders headers = request.getHeaders();
        InetSocketAddress remote = request.getRemoteAddress();
        IngestRequest ingest = new IngestRequest(source, headers.get(HttpHeaders.CONTENT_TYPE),
                body == null ? new byte[0] : body, headers::get,
                remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress());
        return service.handle(ingest).thenApply(response -> {
            metrics.record(source, response);
            return toHttp(response);
        });
    }

    private static HttpResponse<Map<String, Object>> toHttp(IngestResponse response) {
        MutableHttpResponse<Map<String, Object>> http = HttpResponse.<Map<String, Object>>status(HttpStatus.valueOf(response.status()))
                .body(response.body());
        response.headers().forEach(http::header);
        return http;
    }
}
