package io.ailurus.core.txn;

/**
 * Where a transactional id's current transaction stands, with the names Kafka's
 * DescribeTransactions and ListTransactions use ({@link #kafkaName()}).
 *
 * <p>{@code EMPTY} (no transaction open) -> {@code ONGOING} (partitions or offsets added) ->
 * {@code PREPARE_COMMIT}/{@code PREPARE_ABORT} (the outcome is decided and replicated; markers are
 * being written) -> {@code COMPLETE_COMMIT}/{@code COMPLETE_ABORT} (every marker written, offsets
 * materialized or dropped) -> {@code ONGOING} again on the next AddPartitionsToTxn.
 */
public enum TxnState {
    EMPTY("Empty"),
    ONGOING("Ongoing"),
    PREPARE_COMMIT("PrepareCommit"),
    PREPARE_ABORT("PrepareAbort"),
    COMPLETE_COMMIT("CompleteCommit"),
    COMPLETE_ABORT("CompleteAbort");

    private final String kafkaName;

    TxnState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public String kafkaName() {
        return kafkaName;
    }

    /** The outcome is decided but not yet written everywhere: clients must wait (CONCURRENT_TRANSACTIONS). */
    public boolean isPreparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** No transaction is open: a new one may start, the id may expire. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    /** The state named {@code name} in Kafka's spelling (case-insensitive), or null. */
    public static TxnState fromKafkaName(String name) {
        for (TxnState s : values()) {
            if (s.kafkaName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }
}
