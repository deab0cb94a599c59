package io.ailurus.raft.partition;

/**
 * Events of a replicated log's state machine, for the data plane (fetch long-poll wake-ups,
 * leadership metadata). Called on jraft's state-machine thread: implementations must be quick
 * and must not block (hand work to an event loop instead).
 */
public interface PartitionListener {

    /**
     * Entries up to {@code commitIndex} are committed and applied.
     *
     * @param commitIndex   the Raft index of the last applied entry
     * @param highWatermark the Kafka offset after the last committed record
     */
    default void onCommitted(long commitIndex, long highWatermark) {
    }

    /** This replica became the leader of {@code term} and accepts proposals. */
    default void onLeaderStart(long term) {
    }

    /** This replica stopped being the leader. */
    default void onLeaderStop() {
    }

    /** The group hit an unrecoverable error (e.g. a disk failure) and stopped serving. */
    default void onError(Throwable error) {
    }
}
