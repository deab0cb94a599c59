package io.ailurus.raft;

/**
 * Hooks for metrics on the Raft groups of one {@link RaftNodeHost}: plain callbacks, so this module
 * stays free of any metrics library. Called on jraft's state-machine threads: implementations must
 * be cheap and must not block or throw.
 */
public interface RaftObserver {

    /** Reports nothing. */
    RaftObserver NONE = new RaftObserver() {
    };

    /**
     * A proposal made on this replica (the leader) was committed by a majority and applied here.
     *
     * @param groupId the group's id as given to {@link RaftNodeHost#startGroup}
     * @param nanos   from the proposal to its application (queueing, replication, fsyncs, apply)
     */
    default void proposalApplied(String groupId, long nanos) {
    }

    /** This replica became the group's leader in {@code term} (it won an election). */
    default void leaderStarted(String groupId, long term) {
    }

    /** This replica stopped leading the group (stepped down, lost its term, or shut down). */
    default void leaderStopped(String groupId) {
    }
}
