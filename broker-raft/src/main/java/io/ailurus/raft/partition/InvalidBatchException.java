package io.ailurus.raft.partition;

/** A proposal's bytes are not exactly one Kafka record batch (magic v2); nothing was proposed. */
public final class InvalidBatchException extends IllegalArgumentException {

    /** @param message what is wrong with the bytes */
    public InvalidBatchException(String message) {
        super(message);
    }
}
