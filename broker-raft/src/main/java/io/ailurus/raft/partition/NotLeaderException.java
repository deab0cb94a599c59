package io.ailurus.raft.partition;

/**
 * This replica cannot accept the proposal because it is not (or no longer, or not yet) the
 * leader of its group; the Kafka layer maps this to {@code NOT_LEADER_OR_FOLLOWER}. Whether the
 * bytes were committed anyway is unknown when leadership was lost after proposing; a producer
 * retry with idempotence makes that safe.
 */
public final class NotLeaderException extends RuntimeException {

    /** @param message why the proposal was refused or failed */
    public NotLeaderException(String message) {
        super(message);
    }
}
