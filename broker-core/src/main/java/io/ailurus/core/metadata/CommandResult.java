package io.ailurus.core.metadata;

/**
 * The outcome of applying one {@link MetadataCommand}: success (with an optional value such as the
 * first allocated producer id) or a rejection that the proposer maps to a Kafka error code.
 */
public record CommandResult(Error error, String message, long value) {

    /** Why a command was not applied; the Kafka handler maps each onto the matching error code. */
    public enum Error {
        NONE, TOPIC_ALREADY_EXISTS, UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS, INVALID_REQUEST,
        /** Replica moves (AlterPartitionReassignments): Kafka's codes of the same names. */
        INVALID_REPLICA_ASSIGNMENT, INVALID_REPLICATION_FACTOR, NO_REASSIGNMENT_IN_PROGRESS,
        /** A transaction compare-and-set lost: the id changed since the proposer read it (read again, decide again). */
        STALE_VERSION,
        /** Transactional offsets from a producer that does not own the transactional id. */
        INVALID_PRODUCER_ID_MAPPING,
        /** Transactional offsets from an older epoch of the producer. */
        PRODUCER_FENCED,
        /** Transactional offsets for a group not added to an ongoing transaction. */
        INVALID_TXN_STATE
    }

    public static CommandResult ok() { return new CommandResult(Error.NONE, null, 0); }

    public static CommandResult ok(long value) { return new CommandResult(Error.NONE, null, value); }

    public static CommandResult error(Error error, String message) { return new CommandResult(error, message, 0); }

    public boolean isOk() { return error == Error.NONE; }
}
