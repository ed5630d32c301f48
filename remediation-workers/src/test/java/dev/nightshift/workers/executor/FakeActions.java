package dev.nightshift.workers.executor;

import dev.nightshift.workers.actions.ActionResult;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.actions.RemediationAction;
import dev.nightshift.workers.actions.Step;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test-only actions that call a local HTTP fake standing in for AWS, each call carrying its request id in the
 * {@code X-Request-Id} header (as a real action carries it as its idempotency token), so that a test can count the
 * calls that reached "AWS" per request: {@code fake-scale} (CHANGE: {@code POST /change}, undo {@code POST /undo}) and
 * {@code fake-describe} (READ: {@code GET /read}, check {@code GET /check}).
 */
final class FakeActions {
    static final String SCALE = "fake-scale";
    static final String DESCRIBE = "fake-describe";

    private FakeActions() {
    }

    static List<RemediationAction> all(String baseUrl) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return List.of(new Scale(http, baseUrl), new Describe(http, baseUrl));
    }

    private static String call(HttpClient http, String baseUrl, String method, String path, Step step) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(120))
                .header("X-Request-Id", step.requestId()).method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException("the fake answered " + response.statusCode());
        }
        return response.body();
    }

    /** Scales a widget: a change, undoable; what an interrupted call did cannot be told. */
    static final class Scale implements RemediationAction {
        private final HttpClient http;
        private final String baseUrl;

        Scale(HttpClient http, String baseUrl) {
            this.http = http;
            this.baseUrl = baseUrl;
        }

        @Override
        public ActionSpec spec() {
            return new ActionSpec(SCALE, ActionSpec.Kind.CHANGE, Map.of("widget", "the widget, or the resource's last segment"), Map.of(), true);
        }

        @Override
        public String plan(Step step) {
            return "scale widget " + step.parameterOrResource("widget") + " to 2";
        }

        @Override
        public ActionResult execute(Step step) throws Exception {
            String answer = call(http, baseUrl, "POST", "/change", step);
            return ActionResult.succeeded("scaled widget " + step.parameterOrResource("widget"), Map.of("size", "1"), Map.of("size", "2"),
                    Map.of("answer", answer), "scale widget " + step.parameterOrResource("widget") + " back to 1");
        }

        @Override
        public ActionResult undo(Step step) throws Exception {
            call(http, baseUrl, "POST", "/undo", step);
            return ActionResult.succeeded("scaled widget " + step.parameterOrResource("widget") + " back", Map.of("size", "2"),
                    Map.of("size", "1"), Map.of(), null);
        }

        @Override
        public Optional<ActionResult> recover(Step step) {
            return Optional.empty();
        }
    }

    /** Describes a widget: a read, which a check looks at again. */
    static final class Describe implements RemediationAction {
        private final HttpClient http;
        private final String baseUrl;

        Describe(HttpClient http, String baseUrl) {
            this.http = http;
            this.baseUrl = baseUrl;
        }

        @Override
        public ActionSpec spec() {
            return new ActionSpec(DESCRIBE, ActionSpec.Kind.READ, Map.of("widget", "the widget, or the resource's last segment"), Map.of(), false);
        }

        @Override
        public String plan(Step step) {
            return "describe widget " + step.parameterOrResource("widget");
        }

        @Override
        public ActionResult execute(Step step) throws Exception {
            return ActionResult.read("widget " + step.parameterOrResource("widget") + " described", Map.of("size", call(http, baseUrl, "GET", "/read", step)));
        }

        @Override
        public ActionResult check(Step step) throws Exception {
            return ActionResult.read("widget " + step.parameterOrResource("widget") + " looked at again", Map.of("size", call(http, baseUrl, "GET", "/check", step)));
        }
    }
}
