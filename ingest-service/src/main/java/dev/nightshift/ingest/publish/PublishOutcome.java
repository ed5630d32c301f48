package dev.nightshift.ingest.publish;

import dev.nightshift.schema.Alert;

/**
 * What became of one alert: written and acknowledged by the broker ({@code error == null}), or not.
 *
 * @param alert the alert
 * @param error why it was not written, or null when it was
 */
public record PublishOutcome(Alert alert, Throwable error) {
    public boolean accepted() {
        return error == null;
    }
}
