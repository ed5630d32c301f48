package dev.nightshift.ingest.normalize;

import dev.nightshift.ingest.IngestSource;

/**
 * Turns one source's payload into normalized alerts. Throws {@link InvalidPayloadException} for a
 * payload the sender got wrong.
 */
public interface SourceParser {
    IngestSource source();

    ParseResult parse(Delivery delivery);

    /** Whether parsing may wait on the outside world (fetching a certificate, say): then never on an event loop. */
    default boolean mayBlock() {
        return false;
    }
}
