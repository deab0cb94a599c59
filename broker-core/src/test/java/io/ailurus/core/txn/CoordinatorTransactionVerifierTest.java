package io.ailurus.core.txn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Which refusals of a partition's implicit AddPartitionsToTxn (transaction.version 2) are retried:
 * only those that name a producer id or epoch this broker's replica has not applied yet (the EndTxn
 * was answered by another broker a moment ago), never a zombie's older epoch. A 3-broker run
 * (TransactionsClusterTest) failed with INVALID_PRODUCER_ID_MAPPING before the retry existed.
 */
class CoordinatorTransactionVerifierTest {
    private static final long PID = 4000;

    private static TransactionMetadata atEpoch(short epoch) {
        return TransactionMetadata.fresh("t", PID, 60_000, 1).reinitialised(PID, epoch, 60_000, 2);
    }

    @Test
    void aRefusalForAPairThisReplicaHasNotSeenIsRetried() {
        assertTrue(CoordinatorTransactionVerifier.mayBeBehind(Errors.INVALID_PRODUCER_ID_MAPPING, null, PID, (short) 0),
            "the id is not known here yet");
        assertTrue(CoordinatorTransactionVerifier.mayBeBehind(Errors.INVALID_PRODUCER_ID_MAPPING, atEpoch((short) 3),
            PID + 1, (short) 0), "a new producer id after the epoch overflow");
        assertTrue(CoordinatorTransactionVerifier.mayBeBehind(Errors.INVALID_PRODUCER_EPOCH, atEpoch((short) 3),
            PID, (short) 4), "the bumped epoch of a commit answered elsewhere");
    }

    @Test
    void aZombieOrAnotherErrorIsAnsweredAtOnce() {
        assertFalse(CoordinatorTransactionVerifier.mayBeBehind(Errors.PRODUCER_FENCED, atEpoch((short) 5), PID, (short) 4),
            "an older epoch is a zombie");
        assertFalse(CoordinatorTransactionVerifier.mayBeBehind(Errors.INVALID_PRODUCER_EPOCH, atEpoch((short) 5), PID, (short) 5),
            "same pair: this replica is not behind");
        assertFalse(CoordinatorTransactionVerifier.mayBeBehind(Errors.CONCURRENT_TRANSACTIONS, null, PID, (short) 0));
    }
}
