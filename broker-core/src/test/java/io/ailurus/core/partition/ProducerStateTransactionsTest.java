package io.ailurus.core.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions in the producer state: start, commit, abort, fencing, the first unstable offset, snapshots. */
class ProducerStateTransactionsTest {
    private static final long A = 1000;
    private static final long B = 2000;

    /** A transactional batch of {@code n} records at {@code offset}, checked then recorded like a partition does. */
    private static void txnBatch(ProducerStateManager m, long pid, short epoch, int firstSeq, int n, long offset) {
        assertFalse(m.check(pid, epoch, firstSeq, firstSeq + n - 1, true).isDuplicate());
        m.record(new ProducerBatch(pid, epoch, firstSeq, firstSeq + n - 1, offset, offset + n - 1, 1000 + offset), true);
    }

    @Test
    void anOpenTransactionHoldsTheFirstUnstableOffsetUntilItsMarkerIsBelowTheHighWatermark() {
        ProducerStateManager m = new ProducerStateManager();
        assertEquals(Long.MAX_VALUE, m.firstUnstableOffset());
        txnBatch(m, A, (short) 0, 0, 3, 0);      // A: 0..2
        txnBatch(m, B, (short) 0, 0, 2, 3);      // B: 3..4
        txnBatch(m, A, (short) 0, 3, 2, 5);      // A extends: 5..6, still starts at 0
        assertTrue(m.hasOngoingTransaction(A));
        assertEquals(0, m.firstUnstableOffset());

        ProducerStateManager.CompletedTxn a = m.completeTransaction(A, (short) 0, true, 5, 7, 2000);
        assertEquals(new ProducerStateManager.CompletedTxn(A, 0, 7, false, 3), a);
        assertFalse(m.hasOngoingTransaction(A));
        // A's marker at 7 is not committed yet: A still holds the offset back.
        assertEquals(0, m.firstUnstableOffset());
        m.onHighWatermark(7);
        assertEquals(0, m.firstUnstableOffset());
        m.onHighWatermark(8);
        assertEquals(3, m.firstUnstableOffset(), "B is the oldest open transaction now");

        ProducerStateManager.CompletedTxn b = m.completeTransaction(B, (short) 0, false, 5, 8, 2001);
        assertTrue(b.aborted());
        assertEquals(3, b.firstOffset());
        assertEquals(9, b.lastStableOffset(), "nothing else open: the offset after the marker");
        m.onHighWatermark(9);
        assertEquals(Long.MAX_VALUE, m.firstUnstableOffset());
    }

    @Test
    void aNonTransactionalBatchDuringAnOpenTransactionIsRefused() {
        ProducerStateManager m = new ProducerStateManager();
        txnBatch(m, A, (short) 0, 0, 1, 0);
        var e = assertThrows(ProducerStateException.class, () -> m.check(A, (short) 0, 1, 1, false));
        assertEquals(ProducerStateException.Reason.INVALID_TXN_STATE, e.reason());
        m.completeTransaction(A, (short) 0, true, 1, 1, 0);
        assertFalse(m.check(A, (short) 0, 1, 1, false).isDuplicate());
    }

    @Test
    void markerEpochRules() {
        ProducerStateManager m = new ProducerStateManager();
        txnBatch(m, A, (short) 3, 0, 1, 0);
        var older = assertThrows(ProducerStateException.class, () -> m.checkMarker(A, (short) 2, 0));
        assertEquals(ProducerStateException.Reason.INVALID_PRODUCER_EPOCH, older.reason());
        m.checkMarker(A, (short) 3, 7);
        m.completeTransaction(A, (short) 3, false, 7, 1, 0);
        var fencedCoordinator = assertThrows(ProducerStateException.class, () -> m.checkMarker(A, (short) 3, 6));
        assertEquals(ProducerStateException.Reason.COORDINATOR_FENCED, fencedCoordinator.reason());

        // A marker with a newer producer epoch fences the producer's current epoch (coordinator timed it out).
        txnBatch(m, A, (short) 3, 1, 1, 2);
        m.checkMarker(A, (short) 4, 7);
        m.completeTransaction(A, (short) 4, false, 7, 3, 0);
        var fenced = assertThrows(ProducerStateException.class, () -> m.check(A, (short) 3, 2, 2, true));
        assertEquals(ProducerStateException.Reason.INVALID_PRODUCER_EPOCH, fenced.reason());
        assertEquals(4, m.epochOf(A));
    }

    @Test
    void aMarkerWithoutAnOpenTransactionEndsAnEmptyOneAtItself() {
        ProducerStateManager m = new ProducerStateManager();
        ProducerStateManager.CompletedTxn t = m.completeTransaction(A, (short) 0, false, 0, 10, 0);
        assertEquals(10, t.firstOffset());
        assertEquals(10, t.lastOffset());
    }

    @Test
    void describesActiveProducersWithTheirOpenTransaction() {
        ProducerStateManager m = new ProducerStateManager();
        txnBatch(m, A, (short) 1, 0, 4, 10);
        txnBatch(m, B, (short) 0, 0, 1, 14);
        m.completeTransaction(B, (short) 0, true, 9, 15, 0);
        var byId = m.activeProducers().stream().collect(java.util.stream.Collectors.toMap(ActiveProducer::producerId, p -> p));
        assertEquals(new ActiveProducer(A, 1, 3, 1010, -1, 10), byId.get(A));
        assertEquals(9, byId.get(B).coordinatorEpoch());
        assertEquals(-1, byId.get(B).currentTxnStartOffset());
    }

    @Test
    void aSnapshotKeepsOpenTransactionsAndCoordinatorEpochs(@TempDir Path dir) throws Exception {
        ProducerStateManager m = new ProducerStateManager();
        txnBatch(m, A, (short) 0, 0, 2, 0);
        txnBatch(m, B, (short) 0, 0, 2, 2);
        m.completeTransaction(B, (short) 0, false, 4, 4, 0);
        Path file = dir.resolve("producer-state.snapshot");
        m.writeSnapshot(file, 5);

        ProducerStateManager restored = new ProducerStateManager();
        assertEquals(5, restored.loadSnapshot(file));
        assertTrue(restored.hasOngoingTransaction(A));
        assertFalse(restored.hasOngoingTransaction(B));
        assertEquals(0, restored.firstUnstableOffset());
        var fenced = assertThrows(ProducerStateException.class, () -> restored.checkMarker(B, (short) 0, 3));
        assertEquals(ProducerStateException.Reason.COORDINATOR_FENCED, fenced.reason());
        // A's open transaction continues after the restart and ends normally.
        txnBatch(restored, A, (short) 0, 2, 1, 5);
        assertEquals(new ProducerStateManager.CompletedTxn(A, 0, 6, false, 7),
            restored.completeTransaction(A, (short) 0, true, 4, 6, 0));
    }

    @Test
    void expiryKeepsAProducerWithAnOpenTransaction() {
        ProducerStateManager m = new ProducerStateManager();
        txnBatch(m, A, (short) 0, 0, 1, 0);
        m.record(new ProducerBatch(B, (short) 0, 0, 0, 1, 1, 5), false);
        assertEquals(1, m.expireProducersIdleSince(Long.MAX_VALUE));
        assertEquals(List.of(A), List.copyOf(m.producerIds()));
        assertEquals(0, m.firstUnstableOffset());
    }
}
