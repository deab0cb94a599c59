package io.ailurus.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.group.PartitionRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transaction.version 2 successors of a transactional id's state, without a broker: the epoch
 * bump of EndTxn v5, the move to a new producer id when the bumped epoch is the last one, and which
 * (producer id, epoch) a retried EndTxn may present.
 */
class TransactionVersion2StateTest {
    private static final long PID = 4000;
    private static final long NEXT_PID = 5000;

    private static TransactionMetadata ongoing(short epoch) {
        TransactionMetadata fresh = TransactionMetadata.fresh("t", PID, 60_000, 1);
        TransactionMetadata atEpoch = epoch == 0 ? fresh : fresh.reinitialised(PID, epoch, 60_000, 2);
        return atEpoch.withAdded(List.of(new PartitionRef("topic", 0)), List.of(), 3);
    }

    @Test
    void aCommitBumpsTheEpochAndRemembersThePairItEnded() {
        TransactionMetadata prepared = ongoing((short) 7).preparingWithBump(true, null, 4);
        assertEquals(TxnState.PREPARE_COMMIT, prepared.state());
        assertEquals(8, prepared.producerEpoch(), "the markers carry the bumped epoch");
        assertEquals(PID, prepared.lastProducerId());
        assertEquals(7, prepared.lastProducerEpoch());
        assertEquals(List.of(new PartitionRef("topic", 0)), prepared.partitions());
        assertEquals(PID, prepared.producerIdAfterCompletion());
        assertEquals(8, prepared.producerEpochAfterCompletion());

        TransactionMetadata done = prepared.completed(5);
        assertEquals(TxnState.COMPLETE_COMMIT, done.state());
        assertEquals(PID, done.producerId());
        assertEquals(8, done.producerEpoch());
        assertNull(done.nextProducerId());
    }

    @Test
    void theLastEpochMovesTheIdToTheNewProducerIdOnCompletion() {
        short last = (short) (TransactionCoordinator.LAST_EPOCH - 1);
        TransactionMetadata prepared = ongoing(last).preparingWithBump(false, NEXT_PID, 4);
        assertEquals(PID, prepared.producerId(), "the markers are for the producer id the batches carry");
        assertEquals(TransactionCoordinator.LAST_EPOCH, prepared.producerEpoch());
        assertEquals(NEXT_PID, prepared.producerIdAfterCompletion());
        assertEquals(0, prepared.producerEpochAfterCompletion());

        TransactionMetadata done = prepared.completed(5);
        assertEquals(TxnState.COMPLETE_ABORT, done.state());
        assertEquals(NEXT_PID, done.producerId());
        assertEquals(0, done.producerEpoch());
        assertEquals(PID, done.lastProducerId());
        assertEquals(TransactionCoordinator.LAST_EPOCH, done.lastProducerEpoch());
    }

    @Test
    void onlyThePairAnEndTxnBumpedIsARetry() {
        TransactionMetadata prepared = ongoing((short) 3).preparingWithBump(true, null, 4);
        assertTrue(TransactionCoordinator.isBumpRetry(prepared, PID, (short) 3));
        assertTrue(TransactionCoordinator.isBumpRetry(prepared.completed(5), PID, (short) 3));
        assertFalse(TransactionCoordinator.isBumpRetry(prepared.completed(5), PID, (short) 4), "the new epoch is no retry");
        assertFalse(TransactionCoordinator.isBumpRetry(prepared.completed(5), PID, (short) 2));

        short last = (short) (TransactionCoordinator.LAST_EPOCH - 1);
        TransactionMetadata moved = ongoing(last).preparingWithBump(true, NEXT_PID, 4).completed(5);
        assertTrue(TransactionCoordinator.isBumpRetry(moved, PID, last), "a retry after the id moved on");

        // A coordinator abort (timeout) bumps the epoch too, but its producer is fenced, not answered as a retry.
        TransactionMetadata timedOut = ongoing((short) 3).preparing(false, true, 4);
        assertEquals(4, timedOut.producerEpoch());
        assertFalse(TransactionCoordinator.isBumpRetry(timedOut, PID, (short) 3));
        assertFalse(TransactionCoordinator.isBumpRetry(timedOut.completed(5), PID, (short) 3));
    }
}
