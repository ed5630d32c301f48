package dev.nightshift.notifier.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * Sorts what went wrong with a delivery, for the delivery worker's retry policy and its ledger: retryable when the
 * service said so ({@link DeliveryException#retryable()}: a 429, a 5xx, no answer); permanent otherwise, and for
 * anything that is not a service's answer (a bug of ours, a record that cannot be rendered). A 429's
 * {@code Retry-After} is the wait asked for. A {@link DeliveryRefused} made nothing.
 */
public final class DeliveryFailures {
    private DeliveryFailures() {
    }

    public static boolean retryable(Throwable error) {
        return answer(error).map(DeliveryException::retryable).orElse(false);
    }

    /** How long the service asked us to wait before the next try, when it did. */
    public static Optional<Duration> requestedWait(Throwable error) {
        return answer(error).flatMap(DeliveryException::retryAfter);
    }

    /** True when the service answered and made nothing, so the next try need not look for what this one made. */
    public static boolean nothingMade(Throwable error) {
        return answer(error).map(e -> e instanceof DeliveryRefused).orElse(false);
    }

    private static Optional<DeliveryException> answer(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DeliveryException delivery) {
                return Optional.of(delivery);
            }
        }
        return Optional.empty();
    }
}
