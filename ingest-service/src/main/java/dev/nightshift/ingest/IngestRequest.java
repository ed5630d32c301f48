package dev.nightshift.ingest;

import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * One HTTP request to a source endpoint, as the service needs it, free of any HTTP framework.
 *
 * @param source        the endpoint
 * @param contentType   the Content-Type header, or null
 * @param body          the raw body (empty when there is none)
 * @param header        looks up a header by name, case-insensitive; null when absent
 * @param remoteAddress the peer's address, for the rejected record
 * @param eventLoop     the thread loop the request arrived on, when it has one: a small request is
 *                      then handled on it without a thread hand-off, and answered on it; null otherwise
 */
public record IngestRequest(IngestSource source, String contentType, byte[] body, UnaryOperator<String> header,
                            String remoteAddress, Executor eventLoop) {
    public IngestRequest(IngestSource source, String contentType, byte[] body, UnaryOperator<String> header,
                         String remoteAddress) {
        this(source, contentType, body, header, remoteAddress, null);
    }
}
