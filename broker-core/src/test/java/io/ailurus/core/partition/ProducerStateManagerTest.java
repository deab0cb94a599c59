package io.ailurus.core.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerStateManagerTest {
    private static final long PID = 42;

    private static ProducerBatch batch(short epoch, int first, int last, long offset) {
        return new ProducerBatch(PID, epoch, first, last, offset, offset + (last - first), 1000 + offset);
    }

    /** Appends like a partition does: check, then record with the next offsets. */
    private static void append(ProducerStateManager m, ProducerBatch b) {
        assertFalse(m.check(b.producerId(), b.producerEpoch(), b.firstSequence(), b.lastSequence()).isDuplicate());
        m.record(b);
    }

    @Test
    void retryOfAnyOfTheLastFiveBatchesIsADuplicateWithItsOriginalOffsets() {
        ProducerStateManager m = new ProducerStateManager();
        for (int i = 0; i < 7; i++) {
            append(m, batch((short) 0, i * 10, i * 10 + 9, i * 10L));
        }
        for (int i = 2; i < 7; i++) {
            var r = m.check(PID, (short) 0, i * 10, i * 10 + 9);
            assertTrue(r.isDuplicate(), "batch " + i);
            assertEquals(i * 10L, r.duplicateOf().firstOffset());
        }
        // The oldest two fell out of the window: a retry of them is out of order, not silently rewritten.
        var e = assertThrows(ProducerStateException.class, () -> m.check(PID, (short) 0, 0, 9));
        assertEquals(ProducerStateException.Reason.OUT_OF_ORDER_SEQUENCE, e.reason());
    }

    @Test
    void gapInSequenceIsOutOfOrder() {
        ProducerStateManager m = new ProducerStateManager();
        append(m, batch((short) 0, 0, 4, 0));
        var e = assertThrows(ProducerStateException.class, () -> m.check(PID, (short) 0, 6, 8));
        assertEquals(ProducerStateException.Reason.OUT_OF_ORDER_SEQUENCE, e.reason());
        assertFalse(m.check(PID, (short) 0, 5, 8).isDuplicate());
    }

    @Test
    void olderEpochIsFencedAndNewEpochMustStartAtZero() {
        ProducerStateManager m = new ProducerStateManager();
        append(m, batch((short) 3, 0, 4, 0));
        var fenced = assertThrows(ProducerStateException.class, () -> m.check(PID, (short) 2, 5, 5));
        assertEquals(ProducerStateException.Reason.INVALID_PRODUCER_EPOCH, fenced.reason());
        var bad = assertThrows(ProducerStateException.class, () -> m.check(PID, (short) 4, 5, 5));
        assertEquals(ProducerStateException.Reason.OUT_OF_ORDER_SEQUENCE, bad.reason());
        append(m, batch((short) 4, 0, 0, 5));
        assertEquals(4, m.epochOf(PID));
        // The old epoch's batches are gone with it.
        assertThrows(ProducerStateException.class, () -> m.check(PID, (short) 3, 0, 4));
    }

    @Test
    void sequenceWrapsAfterIntegerMax() {
        ProducerStateManager m = new ProducerStateManager();
        append(m, batch((short) 0, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 0));
        assertFalse(m.check(PID, (short) 0, 0, 3).isDuplicate());
    }

    @Test
    void unknownProducerMayResumeAtAnySequence() {
        ProducerStateManager m = new ProducerStateManager();
        assertFalse(m.check(PID, (short) 7, 1234, 1240).isDuplicate());
    }

    @Test
    void snapshotRoundTripKeepsDuplicateDetection(@TempDir Path dir) throws Exception {
        ProducerStateManager m = new ProducerStateManager();
        append(m, batch((short) 1, 0, 9, 100));
        append(m, batch((short) 1, 10, 19, 110));
        Path file = dir.resolve("producers.snapshot");
        m.writeSnapshot(file, 120);

        ProducerStateManager restored = new ProducerStateManager();
        assertEquals(120, restored.loadSnapshot(file));
        var r = restored.check(PID, (short) 1, 10, 19);
        assertTrue(r.isDuplicate());
        assertEquals(110, r.duplicateOf().firstOffset());
        assertThrows(ProducerStateException.class, () -> restored.check(PID, (short) 1, 25, 30));
    }

    @Test
    void damagedSnapshotIsIgnoredSoTheCallerReplaysTheLog(@TempDir Path dir) throws Exception {
        ProducerStateManager m = new ProducerStateManager();
        append(m, batch((short) 1, 0, 9, 0));
        Path file = dir.resolve("producers.snapshot");
        m.writeSnapshot(file, 10);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x5a;
        Files.write(file, bytes);
        ProducerStateManager restored = new ProducerStateManager();
        assertEquals(-1, restored.loadSnapshot(file));
        assertEquals(0, restored.producerCount());
    }

    @Test
    void truncationForgetsTruncatedBatchesAndExpiryForgetsIdleProducers() {
        ProducerStateManager m = new ProducerStateManager();
        append(m, batch((short) 0, 0, 4, 0));
        append(m, batch((short) 0, 5, 9, 5));
        m.removeBatchesFrom(5);
        // After truncation the batch at offset 5 may be written again.
        assertFalse(m.check(PID, (short) 0, 5, 9).isDuplicate());
        assertEquals(1, m.expireProducersIdleSince(Long.MAX_VALUE));
        assertEquals(0, m.producerCount());
    }
}
