package dev.nightshift.triage.service;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's page at {@code /}; its scripts and styles are served from the jar under {@code /dashboard/}
 * (application.yml). The page may load nothing but from triage itself: its Content-Security-Policy says so, so the
 * dashboard works without the internet and no injected content can run.
 */
@Controller
public class DashboardController {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private final String page;

    public DashboardController() {
        try (InputStream in = DashboardController.class.getResourceAsStream("/dashboard/index.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard/index.html is missing from the classpath");
            }
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> dashboard() {
        return HttpResponse.ok(page).contentType(MediaType.TEXT_HTML + "; charset=utf-8")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff");
    }
}
