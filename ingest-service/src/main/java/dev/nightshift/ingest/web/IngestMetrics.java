package dev.nightshift.ingest.web;

import dev.nightshift.ingest.IngestResponse;
import dev.nightshift.ingest.IngestSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what the endpoints answer, for /prometheus: {@code nightshift_ingest_requests_total}
 * by source and status, and {@code nightshift_ingest_alerts_accepted_total} by source. Counters
 * are cheap enough to update on every request (a per-request timer is not, at tens of thousands
 * of requests a second).
 */
@Singleton
public class IngestMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<IngestSource, Counter> accepted = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(IngestSource source, IngestResponse response) {
        requests.computeIfAbsent(source.configName() + ":" + response.status(), k -> Counter.builder("nightshift.ingest.requests")
                .description("requests answered, by source and HTTP status")
                .tag("source", source.configName()).tag("status", Integer.toString(response.status()))
                .register(registry)).increment();
        if (response.body().get("accepted") instanceof Integer count && count > 0) {
            accepted.computeIfAbsent(source, s -> Counter.builder("nightshift.ingest.alerts.accepted")
                    .description("alerts written to alerts.raw and acknowledged by the broker")
                    .tag("source", s.configName()).register(registry)).increment(count);
        }
    }
}
