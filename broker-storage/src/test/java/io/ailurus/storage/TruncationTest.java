package io.ailurus.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.ailurus.storage.PartitionLogTest.array;
import static io.ailurus.storage.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Raft truncation (suffix, prefix), reset, and that each survives a reopen. */
class TruncationTest {
    @TempDir
    Path dir;
    LogManager manager;

    static final LogConfig CFG = LogConfig.defaults().withSegmentBytes(64 * 1024).withPreallocateBytes(64 * 1024)
            .withIndexIntervalBytes(1024);

    PartitionLog open() {
        manager = LogManager.open(dir, StorageConfig.defaults().withFileDeleteDelayMs(0));
        return manager.openLog("raft/p", CFG);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    /** Entries 1..n: every 5th a NO_OP, others 1-record batches of ~3 KiB; terms 1,2,3 by thirds. */
    static List<ByteBuffer> fill(PartitionLog log, int n) throws Exception {
        List<ByteBuffer> data = new ArrayList<>();
        AppendResult r = null;
        for (int i = 1; i <= n; i++) {
            long term = 1 + (i - 1) * 3L / n;
            if (i % 5 == 0) {
                r = log.append(List.of(new LogEntry(i, term, EntryType.NO_OP, ByteBuffer.wrap(new byte[]{(byte) i}))));
            } else {
                ByteBuffer b = Batches.batch(log.logEndOffset(), 1, i, 3000, new Random(i));
                data.add(ByteBuffer.wrap(array(b)));
                r = log.append(List.of(LogEntry.data(i, term, b)));
            }
        }
        r.durable().get(10, TimeUnit.SECONDS);
        return data;
    }

    @Test
    void truncateSuffixAcrossSegmentsThenAppendAgain() throws Exception {
        PartitionLog log = open();
        List<ByteBuffer> data = fill(log, 90);
        int segmentsBefore = log.segmentCount();
        assertTrue(segmentsBefore >= 4);
        log.truncateSuffix(37);
        assertEquals(37, log.lastIndex());
        assertEquals(37, log.durableIndex());
        assertEquals(2, log.lastTerm());
        assertEquals(30, log.logEndOffset(), "37 entries of which 7 NO_OPs");
        assertTrue(log.segmentCount() < segmentsBefore);
        assertNull(log.entry(38));
        assertEquals(data.subList(0, 30).stream().map(PartitionLogTest::array).toList().size(), readAll(log).size());
        assertEquals(-1, log.endOffsetForTerm(0));
        assertEquals(30, log.endOffsetForTerm(2), "term 3 no longer exists");
        // A new leader's entries of term 4 follow, and everything survives a reopen.
        ByteBuffer fresh = Batches.batch(30, 2, 999, 100, new Random(1));
        byte[] freshBytes = array(fresh);
        log.append(List.of(new LogEntry(38, 4, EntryType.NO_OP, ByteBuffer.wrap(new byte[]{1})),
                LogEntry.data(39, 4, fresh))).durable().get(10, TimeUnit.SECONDS);
        assertEquals(30, log.endOffsetForTerm(2));
        assertEquals(32, log.endOffsetForTerm(4));
        manager.close();

        PartitionLog again = open();
        assertEquals(39, again.lastIndex());
        assertEquals(4, again.lastTerm());
        assertEquals(32, again.logEndOffset());
        List<ByteBuffer> read = readAll(again);
        assertEquals(31, read.size());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(array(data.get(i)), array(read.get(i)));
        }
        assertArrayEquals(freshBytes, array(read.get(30)));
        assertEquals(2, again.termAt(37));
        assertEquals(4, again.termAt(38));
        assertEquals(30, again.endOffsetForTerm(2));
    }

    @Test
    void truncateSuffixInsideTheActiveSegmentAndToNothing() throws Exception {
        PartitionLog log = open();
        fill(log, 10);
        log.truncateSuffix(9);
        assertEquals(9, log.lastIndex());
        assertEquals(8, log.logEndOffset());
        log.truncateSuffix(0);
        assertEquals(0, log.lastIndex());
        assertEquals(0, log.logEndOffset());
        assertEquals(0, log.lastTerm());
        assertTrue(readAll(log).isEmpty());
        log.appendBatch(5, Batches.batch(0, 1, 1)).durable().get(10, TimeUnit.SECONDS);
        manager.close();
        PartitionLog again = open();
        assertEquals(1, again.lastIndex());
        assertEquals(5, again.termAt(1));
        assertEquals(1, again.logEndOffset());
    }

    @Test
    void truncatePrefixDropsWholeSegmentsBelowAndHidesTheRest() throws Exception {
        PartitionLog log = open();
        fill(log, 90);
        List<Long> bases = log.segmentBaseIndexes();
        long keep = bases.get(2) + 3;   // inside the third segment
        log.truncatePrefix(keep);
        assertEquals(keep, log.firstIndex());
        assertEquals(bases.subList(2, bases.size()), log.segmentBaseIndexes());
        assertNull(log.entry(keep - 1));
        assertEquals(keep, log.entry(keep).index());
        assertEquals(0, log.termAt(keep - 1));
        manager.close();
        PartitionLog again = open();
        assertEquals(keep, again.firstIndex());
        assertEquals(90, again.lastIndex());
        assertNull(again.entry(keep - 1));
        assertThrows(IllegalArgumentException.class, () -> again.truncateSuffix(keep - 5));
    }

    @Test
    void resetDropsEverythingAndStartsAtTheGivenIndexAndOffset() throws Exception {
        PartitionLog log = open();
        fill(log, 40);
        log.reset(1000, 5000);
        assertEquals(1000, log.firstIndex());
        assertEquals(999, log.lastIndex());
        assertEquals(5000, log.logStartOffset());
        assertEquals(5000, log.logEndOffset());
        assertEquals(1, log.segmentCount());
        assertNull(log.entry(40));
        assertTrue(readAll(log).isEmpty());
        manager.close();

        PartitionLog again = open();
        assertEquals(1000, again.firstIndex());
        assertEquals(999, again.lastIndex());
        assertEquals(5000, again.logEndOffset());
        AppendResult r = again.appendBatch(9, Batches.batch(0, 3, 1));
        assertEquals(1000, r.firstIndex());
        assertEquals(5000, r.baseOffset());
        r.durable().get(10, TimeUnit.SECONDS);
        assertEquals(5000, again.read(5001, 100, Long.MAX_VALUE, true).slices().getFirst().baseOffset());
    }
}
