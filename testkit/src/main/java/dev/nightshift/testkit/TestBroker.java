package dev.nightshift.testkit;

/** A running Kafka broker for tests. */
public interface TestBroker extends AutoCloseable {
    String bootstrapServers();

    /** Stops the broker; later calls do nothing. */
    @Override
    void close();
}
