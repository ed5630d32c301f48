package dev.nightshift.ingest.publish;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.RejectedAlert;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where accepted alerts and refused payloads go: the broker ({@link AlertPublisher}) in the service. */
public interface AlertSink {
    /**
     * Writes the alerts and completes, once each is acknowledged or has failed, with one outcome per
     * alert in their order; never completes exceptionally.
     *
     * @throws BackPressureException  when the alerts cannot be admitted now; nothing was written
     * @throws AlertTooLargeException when an alert is larger than one record may be; nothing was written
     */
    CompletableFuture<List<PublishOutcome>> publish(List<Alert> alerts);

    /** Keeps a refused payload; best effort, never throws. */
    void reject(String source, RejectedAlert rejected);
}
