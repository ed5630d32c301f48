package dev.nightshift.ingest.publish;

/**
 * An alert of the request is, once normalized and serialized, larger than one record may be on the
 * broker: the request is refused before any of its alerts is sent.
 */
public final class AlertTooLargeException extends RuntimeException {
    private final int index;
    private final int size;
    private final int limit;

    /**
     * @param index the alert's place in the request
     * @param size  the record's size in bytes
     * @param limit the largest record the producer sends ({@code max.request.size})
     */
    public AlertTooLargeException(int index, int size, int limit) {
        super("alert [" + index + "] is " + size + " bytes once serialized, over the limit of " + limit + " bytes",
                null, false, false);
        this.index = index;
        this.size = size;
        this.limit = limit;
    }

    public int index() {
        return index;
    }

    public int size() {
        return size;
    }

    public int limit() {
        return limit;
    }
}
