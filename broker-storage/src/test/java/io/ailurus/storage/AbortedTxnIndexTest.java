package io.ailurus.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The aborted-transaction index on real segment files: lookups, persistence, truncation, retention, rebuild. */
class AbortedTxnIndexTest {
    @TempDir
    Path dir;
    LogManager manager;

    /** ~4 KiB one-record batches in 64 KiB segments: about 15 offsets per segment. */
    static final LogConfig CFG = LogConfig.defaults().withSegmentBytes(64 * 1024).withPreallocateBytes(64 * 1024)
            .withIndexIntervalBytes(1024).withRetentionMs(-1);

    // A aborts while B (from offset 3) is open, so the last stable offset after A is 3.
    static final AbortedTxn A = new AbortedTxn(1, 2, 5, 3);
    static final AbortedTxn B = new AbortedTxn(2, 3, 10, 11);
    static final AbortedTxn C = new AbortedTxn(1, 12, 40, 41);

    PartitionLog open() {
        manager = LogManager.open(dir, StorageConfig.defaults().withFileDeleteDelayMs(0));
        return manager.openLog("kafka/t/0", CFG);
    }

    PartitionLog reopen() {
        manager.close();
        return open();
    }

    Path logDir() {
        return dir.resolve("kafka/t/0");
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    static void fill(PartitionLog log, int batches) throws Exception {
        AppendResult r = null;
        for (int i = 0; i < batches; i++) {
            r = log.appendBatch(1, Batches.batch(0, 1, i, 4000, new Random(i)));
        }
        r.durable().get(10, TimeUnit.SECONDS);
    }

    static PartitionLog withABC(PartitionLog log) {
        assertTrue(log.appendAbortedTxn(A));
        assertTrue(log.appendAbortedTxn(B));
        assertTrue(log.appendAbortedTxn(C));
        return log;
    }

    @Test
    void findsExactlyTheTransactionsOverlappingARange() throws Exception {
        PartitionLog log = open();
        fill(log, 60);
        withABC(log);
        assertEquals(List.of(A), log.abortedTxns(0, 3));
        assertEquals(List.of(A, B), log.abortedTxns(0, 4));
        assertEquals(List.of(B), log.abortedTxns(6, 12));
        assertEquals(List.of(B, C), log.abortedTxns(10, 13));
        assertEquals(List.of(C), log.abortedTxns(11, 60));
        assertEquals(List.of(), log.abortedTxns(41, 60));
        // A replayed entry (same marker) is not indexed twice.
        assertFalse(log.appendAbortedTxn(A));
        assertEquals(List.of(A, B), log.abortedTxns(0, 6));
    }

    @Test
    void refusesAMarkerOutsideTheLog() throws Exception {
        PartitionLog log = open();
        fill(log, 30);
        log.advanceLogStartOffset(20);
        assertThrows(IllegalArgumentException.class, () -> log.appendAbortedTxn(new AbortedTxn(1, 0, 5, 6)));
        assertThrows(IllegalArgumentException.class, () -> log.appendAbortedTxn(new AbortedTxn(1, 25, 30, 31)));
        assertThrows(IllegalArgumentException.class, () -> new AbortedTxn(1, 5, 4, 6));
    }

    @Test
    void entriesLiveInTheSegmentOfTheirMarkerAndSurviveAReopen() throws Exception {
        PartitionLog log = open();
        fill(log, 60);
        assertTrue(log.segmentCount() >= 3, "several segments: " + log.segmentCount());
        withABC(log);
        List<Long> bases = log.segmentBaseIndexes();
        long rowsOnDisk = 0;
        for (long base : bases) {
            Path f = AbortedTxnIndex.file(logDir(), base);
            assertTrue(Files.exists(f), "every segment has its index file: " + f);
            rowsOnDisk += Files.size(f) / AbortedTxnIndex.ROW;
        }
        assertEquals(3, rowsOnDisk);
        // C's marker (offset 40) is in a later segment than A's (offset 5).
        assertEquals(0, Files.size(AbortedTxnIndex.file(logDir(), bases.getLast())) % AbortedTxnIndex.ROW);
        assertEquals(2 * AbortedTxnIndex.ROW, Files.size(AbortedTxnIndex.file(logDir(), bases.getFirst())));

        PartitionLog again = reopen();
        assertEquals(-1, again.abortedTxnIndexMissingFrom());
        assertEquals(List.of(A, B, C), again.abortedTxns(0, 60));
        assertEquals(List.of(B, C), again.abortedTxns(6, 13));
    }

    @Test
    void suffixTruncationDropsEntriesWhoseMarkerIsCutOffAlsoOnDisk() throws Exception {
        PartitionLog log = open();
        fill(log, 60);
        withABC(log);
        // Offsets equal Raft indexes minus one here (one-record batches from index 1): keep offsets 0..39.
        log.truncateSuffix(40);
        assertEquals(40, log.logEndOffset());
        assertEquals(List.of(A, B), log.abortedTxns(0, 60));
        PartitionLog again = reopen();
        assertEquals(List.of(A, B), again.abortedTxns(0, 60));
        // The marker offset can be written again by a new leader, and indexed again.
        fill(again, 5);
        assertTrue(again.appendAbortedTxn(new AbortedTxn(3, 20, 40, 41)));
        assertEquals(List.of(A, B, new AbortedTxn(3, 20, 40, 41)), again.abortedTxns(0, 60));
    }

    @Test
    void prefixDeletionDropsTheEntriesAndFilesOfDeletedSegments() throws Exception {
        PartitionLog log = open();
        fill(log, 60);
        withABC(log);
        long firstBase = log.segmentBaseIndexes().getFirst();
        Path firstFile = AbortedTxnIndex.file(logDir(), firstBase);
        assertTrue(Files.exists(firstFile));
        log.advanceLogStartOffset(30);
        assertFalse(log.segmentBaseIndexes().contains(firstBase), "first segment deleted");
        assertFalse(Files.exists(firstFile));
        assertEquals(List.of(C), log.abortedTxns(0, 60));
        assertEquals(List.of(C), reopen().abortedTxns(0, 60));
    }

    @Test
    void aMissingIndexFileIsReportedAndCanBeRebuilt() throws Exception {
        PartitionLog log = open();
        fill(log, 60);
        withABC(log);
        List<Long> bases = log.segmentBaseIndexes();
        manager.close();
        manager = null;
        Files.delete(AbortedTxnIndex.file(logDir(), bases.get(1)));
        PartitionLog again = open();
        long missing = again.abortedTxnIndexMissingFrom();
        assertTrue(missing > 0 && missing <= 40, "the second segment's start offset: " + missing);
        // The owner replays the log and re-adds what it finds; then the index is whole again.
        again.appendAbortedTxn(A);
        again.appendAbortedTxn(B);
        again.appendAbortedTxn(C);
        again.markAbortedTxnIndexComplete();
        assertEquals(-1, again.abortedTxnIndexMissingFrom());
        PartitionLog third = reopen();
        assertEquals(-1, third.abortedTxnIndexMissingFrom());
        assertEquals(List.of(A, B, C), third.abortedTxns(0, 60));
    }

    @Test
    void aTornRowIsCutAndTheRowsBeforeItKept() throws Exception {
        PartitionLog log = open();
        fill(log, 8);
        assertTrue(log.appendAbortedTxn(A));
        long base = log.segmentBaseIndexes().getFirst();
        manager.close();
        manager = null;
        Path f = AbortedTxnIndex.file(logDir(), base);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        }
        PartitionLog again = open();
        assertEquals(List.of(A), again.abortedTxns(0, 8));
        assertEquals(AbortedTxnIndex.ROW, Files.size(f));
        assertTrue(again.appendAbortedTxn(new AbortedTxn(4, 6, 7, 8)));
        assertEquals(List.of(A, new AbortedTxn(4, 6, 7, 8)), reopen().abortedTxns(0, 8));
    }
}
