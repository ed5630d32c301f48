package dev.nightshift.kafka;

/**
 * A consumer's poll loop as its service's readiness sees it ({@link ConsumerHealthIndicator}): whether it polls, whether it
 * has joined its group and received its assignment, and how many partitions it holds and holds back.
 */
public interface ConsumerLoop {
    String name();

    /** True while the loop polls; false before it started and after it stopped or died. */
    boolean healthy();

    /**
     * True when the loop is doing its work: it polls and has joined its group and received its assignment (an empty one
     * too). False before that, while its partitions are revoked or lost without a new assignment, and after it stopped.
     */
    boolean ready();

    /** The partitions assigned now (as of the last rebalance). */
    int assignedPartitions();

    /** The partitions held back at a record that waits to be tried again. */
    int waitingPartitions();
}
