package dev.nightshift.workers.executor;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The local HTTP fake standing in for AWS behind {@link FakeActions}: it answers every call, holds the calls of the
 * requests it is told to, and keeps each call it received, so that a test counts the calls per request id.
 */
final class FakeAws implements AutoCloseable {
    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    FakeAws() {
        server.start();
        server.stubFor(any(urlPathEqualTo("/change")).willReturn(aResponse().withBody("changed")));
        server.stubFor(any(urlPathEqualTo("/undo")).willReturn(aResponse().withBody("undone")));
        server.stubFor(any(urlPathEqualTo("/read")).willReturn(aResponse().withBody("2")));
        server.stubFor(any(urlPathEqualTo("/check")).willReturn(aResponse().withBody("2")));
    }

    String url() {
        return server.baseUrl();
    }

    /** Every change takes this long to answer. */
    FakeAws slowChanges(Duration delay) {
        server.stubFor(any(urlPathEqualTo("/change")).willReturn(aResponse().withBody("changed").withFixedDelay((int) delay.toMillis())));
        return this;
    }

    /** The change of this request is answered only after {@code delay}: it is in flight meanwhile. */
    FakeAws hold(String requestId, Duration delay) {
        server.stubFor(post(urlPathEqualTo("/change")).withHeader("X-Request-Id", equalTo(requestId)).atPriority(1)
                .willReturn(aResponse().withBody("changed").withFixedDelay((int) delay.toMillis())));
        return this;
    }

    /** The calls received on {@code path} (e.g. "/change") for a request id. */
    int calls(String path, String requestId) {
        return (int) received(path).stream().filter(id -> id.equals(requestId)).count();
    }

    /** The number of calls received on {@code path}, by request id. */
    Map<String, Long> callsPerRequest(String path) {
        return received(path).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private List<String> received(String path) {
        return server.findAll(anyRequestedFor(urlPathEqualTo(path))).stream().map(r -> r.getHeader("X-Request-Id")).toList();
    }

    @Override
    public void close() {
        server.stop();
    }
}
