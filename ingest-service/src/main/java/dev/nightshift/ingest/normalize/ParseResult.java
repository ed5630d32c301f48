package dev.nightshift.ingest.normalize;

import dev.nightshift.schema.Alert;

import java.util.List;

/** What a source parser made of a delivery: alerts to publish, or a message that carries none. */
public sealed interface ParseResult {
    /** Normalized alerts, in the order of the payload. */
    record Alerts(List<Alert> alerts) implements ParseResult {
    }

    /** A delivery that is handled without publishing anything (e.g. an SNS subscription confirmation). */
    record Acknowledged(int status, String message) implements ParseResult {
    }
}
