package dev.nightshift.ingest;

import java.util.function.UnaryOperator;

/**
 * One HTTP request to a source endpoint, as the service needs it, free of any HTTP framework.
 *
 * @param source        the endpoint
 * @param contentType   the Content-Type header, or null
 * @param body          the raw body (empty when there is none)
 * @param header        looks up a header by name, case-insensitive; null when absent
 * @param remoteAddress the peer's address, for the rejected record
 */
public record IngestRequest(IngestSource source, String contentType, byte[] body, UnaryOperator<String> header,
                            String remoteAddress) {
}
