package dev.nightshift.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to an {@link IngestRequest}: a status, a JSON body and headers.
 *
 * @param status  HTTP status
 * @param body    the JSON body as maps and lists
 * @param headers extra response headers (Retry-After, WWW-Authenticate)
 */
public record IngestResponse(int status, Map<String, Object> body, Map<String, String> headers) {
    public static IngestResponse error(int status, String error, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (message != null) {
            body.put("message", message);
        }
        if (field != null) {
            body.put("field", field);
        }
        return new IngestResponse(status, body, Map.of());
    }

    public IngestResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new IngestResponse(status, body, copy);
    }
}
