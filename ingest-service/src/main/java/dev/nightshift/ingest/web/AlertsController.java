package dev.nightshift.ingest.web;

import dev.nightshift.ingest.IngestRequest;
import dev.nightshift.ingest.IngestResponse;
import dev.nightshift.ingest.IngestService;
import dev.nightshift.ingest.IngestSource;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.netty.NettyHttpRequest;

import java.util.concurrent.CompletableFuture;

/** The alert endpoints, one per source; each hands the raw request to {@link IngestService}. */
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
    public CompletableFuture<MutableHttpResponse<byte[]>> generic(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return handle(IngestSource.GENERIC, request, body);
    }

    @Post("/cloudwatch")
    public CompletableFuture<MutableHttpResponse<byte[]>> cloudwatch(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return handle(IngestSource.CLOUDWATCH, request, body);
    }

    @Post("/datadog")
    public CompletableFuture<MutableHttpResponse<byte[]>> datadog(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return handle(IngestSource.DATADOG, request, body);
    }

    @Post("/alertmanager")
    public CompletableFuture<MutableHttpResponse<byte[]>> alertmanager(HttpRequest<?> request, @Body @Nullable byte[] body) {
        return handle(IngestSource.ALERTMANAGER, request, body);
    }

    private CompletableFuture<MutableHttpResponse<byte[]>> handle(IngestSource source, HttpRequest<?> request, byte[] body) {
        HttpHeaders headers = request.getHeaders();
        IngestRequest ingest = new IngestRequest(source, headers.get(HttpHeaders.CONTENT_TYPE),
                body == null ? new byte[0] : body, headers::get,
                request.getRemoteAddress() == null ? null : request.getRemoteAddress().getAddress().getHostAddress(),
                eventLoop(request));
        return service.handle(ingest).thenApply(response -> {
            metrics.record(source, response);
            return toHttp(response);
        });
    }

    /** The event loop the request arrived on, when the controller runs on it (Micronaut's default). */
    private static java.util.concurrent.Executor eventLoop(HttpRequest<?> request) {
        if (request instanceof NettyHttpRequest<?> netty) {
            io.netty.channel.EventLoop loop = netty.getChannelHandlerContext().channel().eventLoop();
            return loop.inEventLoop() ? loop : null;
        }
        return null;
    }

    private static MutableHttpResponse<byte[]> toHttp(IngestResponse response) {
        MutableHttpResponse<byte[]> http = HttpResponse.<byte[]>status(
                io.micronaut.http.HttpStatus.valueOf(response.status())).body(JsonWriter.write(response.body()));
        response.headers().forEach(http::header);
        http.contentType(MediaType.APPLICATION_JSON_TYPE);
        return http;
    }
}
