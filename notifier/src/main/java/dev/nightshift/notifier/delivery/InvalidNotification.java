package dev.nightshift.notifier.delivery;

/** A notification that cannot be delivered as it is (a kind its target does not have, no channel, nothing to update): permanent. */
public class InvalidNotification extends DeliveryRefused {
    public InvalidNotification(String message) {
        super(message, false, null);
    }
}
