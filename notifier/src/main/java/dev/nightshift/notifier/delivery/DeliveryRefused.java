package dev.nightshift.notifier.delivery;

import java.time.Duration;

/**
 * The service answered and refused (a 429, an error it named): nothing was made, so the delivery can be tried again
 * without looking for what it made first. A {@link DeliveryException} that is not one of these leaves the result
 * unknown (a timeout, a 5xx, no answer).
 */
public class DeliveryRefused extends DeliveryException {
    public DeliveryRefused(String message, boolean retryable, Duration retryAfter) {
        super(message, retryable, retryAfter, null);
    }
}
