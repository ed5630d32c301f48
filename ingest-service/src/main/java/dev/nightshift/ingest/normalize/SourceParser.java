package dev.nightshift.ingest.normalize;

import dev.nightshift.ingest.IngestSource;

/**
 * Turns one source's payload into normalized alerts. Throws {@link InvalidPayloadException} for a
 * payload the sender got wrong.
 */
public interface SourceParser {
    IngestSource source();

    ParseResult parse(Delivery delivery);
}
