package dev.nightshift.ingest.normalize;

import dev.nightshift.ingest.IngestSource;

import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * One authenticated request body as a source endpoint received it.
 *
 * @param source      the endpoint
 * @param contentType the Content-Type header, or null
 * @param body        the raw body
 * @param header      looks up a request header by name (case-insensitive), null when absent
 * @param receivedAt  when the request arrived
 */
public record Delivery(IngestSource source, String contentType, byte[] body, UnaryOperator<String> header,
                       Instant receivedAt) {
}
