package io.ailurus.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.ailurus.storage.PartitionLogTest.array;
import static io.ailurus.storage.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segment rolling by size and time, retention by time and size, DeleteRecords. */
class SegmentRollAndRetentionTest {
    @TempDir
    Path dir;
    LogManager manager;
    final AtomicLong clock = new AtomicLong(1_000_000);

    static final LogConfig CFG = LogConfig.defaults().withSegmentBytes(64 * 1024).withPreallocateBytes(64 * 1024)
            .withIndexIntervalBytes(1024).withRetentionMs(-1);

    PartitionLog open(LogConfig cfg) {
        manager = LogManager.open(dir, StorageConfig.defaults().withFileDeleteDelayMs(0).withClock(clock::get));
        return manager.openLog("kafka/t/0", cfg);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    /** Appends n batches of ~4 KiB with timestamps ts0, ts0+1000, ... */
    static AppendResult append(PartitionLog log, int n, long ts0) {
        AppendResult r = null;
        for (int i = 0; i < n; i++) {
            r = log.appendBatch(1, Batches.batch(0, 2, ts0 + i * 1000L, 2000, new Random(i)));
        }
        return r;
    }

    long logFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("kafka/t/0"))) {
            return s.filter(p -> p.toString().endsWith(".log")).count();
        }
    }

    @Test
    void rollsBySizeKeepingEverySegmentUnderTheLimit() throws Exception {
        PartitionLog log = open(CFG);
        append(log, 100, 0).durable().get(10, TimeUnit.SECONDS);
        assertTrue(log.segmentCount() >= 6, "400 KiB in 64 KiB segments, got " + log.segmentCount());
        assertEquals(log.segmentCount(), logFiles());
        List<Long> bases = log.segmentBaseIndexes();
        for (int i = 0; i < bases.size() - 1; i++) {
            Path f = dir.resolve("kafka/t/0").resolve(String.format("%020d.log", bases.get(i)));
            long size = Files.size(f);
            assertTrue(size <= 64 * 1024 && size > 48 * 1024, "closed segment trimmed to its content: " + size);
            assertTrue(Files.exists(f.resolveSibling(String.format("%020d.index", bases.get(i)))));
        }
        assertEquals(100, readAll(log).size());
    }

    @Test
    void rollsByTime() throws Exception {
        PartitionLog log = open(CFG.withSegmentMs(60_000));
        append(log, 3, 0);
        assertEquals(1, log.segmentCount());
        clock.addAndGet(59_000);
        append(log, 1, 0);
        assertEquals(1, log.segmentCount(), "not yet a minute old");
        clock.addAndGet(1_000);
        append(log, 1, 0).durable().get(10, TimeUnit.SECONDS);
        assertEquals(2, log.segmentCount());
        assertEquals(5, log.segmentBaseIndexes().get(1));
    }

    @Test
    void aSegmentRolledRightAfterAReopenIsSealedAndRetentionCanDeleteIt() throws Exception {
        LogConfig cfg = CFG.withSegmentMs(60_000).withRetentionMs(1000);
        append(open(cfg), 3, 0).durable().get(10, TimeUnit.SECONDS);
        manager.close();
        PartitionLog log = open(cfg);
        assertTrue(Files.notExists(dir.resolve("kafka/t/0/00000000000000000001.index")),
                "the active segment's index files are dropped at open");
        clock.addAndGet(120_000);
        append(log, 1, clock.get()).durable().get(10, TimeUnit.SECONDS);
        assertEquals(2, log.segmentCount());
        assertTrue(Files.exists(dir.resolve("kafka/t/0/00000000000000000001.index")), "sealed on roll");
        assertEquals(1, log.enforceRetention(clock.get()).segmentsDeleted());
        assertEquals(List.of(4L), log.segmentBaseIndexes());
        assertEquals(3, log.logStartOffset() / 2);
    }

    @Test
    void retentionByTimeDeletesOldClosedSegmentsButNeverTheActiveOne() throws Exception {
        PartitionLog log = open(CFG.withRetentionMs(3_600_000));
        append(log, 100, 1_000_000).durable().get(10, TimeUnit.SECONDS);   // timestamps 1e6 .. 1.099e6
        int before = log.segmentCount();
        assertEquals(RetentionResult.NONE, log.enforceRetention(1_000_000 + 3_600_000));
        // Segments whose newest batch is older than now - 1h go; the one holding ts 1_050_000 stays.
        RetentionResult r = log.enforceRetention(1_050_000 + 3_600_000);
        assertTrue(r.segmentsDeleted() > 0 && r.segmentsDeleted() < before, r.toString());
        assertEquals(before - r.segmentsDeleted(), log.segmentCount());
        assertEquals(log.segmentCount(), logFiles());
        long lso = log.logStartOffset();
        assertTrue(lso > 0 && lso <= 2 * 50, "log start moved to the first kept segment: " + lso);
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(0, 1000, Long.MAX_VALUE, true));
        assertEquals(lso, log.read(lso, 1000, Long.MAX_VALUE, true).slices().getFirst().baseOffset());
        // Far in the future everything but the active segment goes.
        log.enforceRetention(Long.MAX_VALUE / 2);
        assertEquals(1, log.segmentCount());
        assertEquals(200, log.logEndOffset());
        assertEquals(log.logEndOffset() - 1, readAll(log).getLast().getLong(0) + 1);
    }

    @Test
    void theSchedulerEnforcesRetentionByItself() throws Exception {
        manager = LogManager.open(dir, StorageConfig.defaults().withFileDeleteDelayMs(0).withClock(clock::get)
                .withRetentionCheckIntervalMs(20));
        PartitionLog log = manager.openLog("kafka/t/0", CFG);   // no retention yet
        append(log, 60, 0).durable().get(10, TimeUnit.SECONDS);
        assertTrue(log.segmentCount() > 1);
        log.updateConfig(CFG.withRetentionMs(1000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.segmentCount() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, log.segmentCount(), "batches with timestamps < 60 s are far older than the clock minus 1 s");
    }

    @Test
    void retentionBySizeKeepsTheLogUnderTheLimit() throws Exception {
        PartitionLog log = open(CFG.withRetentionBytes(200 * 1024));
        append(log, 150, 0).durable().get(10, TimeUnit.SECONDS);
        long size = log.sizeBytes();
        assertTrue(size > 500 * 1024);
        RetentionResult r = manager.enforceRetention(clock.get());
        assertTrue(r.segmentsDeleted() > 0);
        // Kafka's rule: delete the oldest segment while the log would still hold >= retentionBytes without it.
        assertTrue(log.sizeBytes() >= 200 * 1024, "deletes no more than needed: " + log.sizeBytes());
        assertTrue(log.sizeBytes() < 200 * 1024 + 64 * 1024, "within one segment of the limit: " + log.sizeBytes());
        assertEquals(size - r.bytesDeleted(), log.sizeBytes());
        // The limit below the active segment's size still never deletes the active segment.
        log.updateConfig(CFG.withRetentionBytes(0));
        log.enforceRetention(clock.get());
        assertEquals(1, log.segmentCount());
    }

    @Test
    void advanceLogStartOffsetMovesTheStartAndDeletesWholeSegmentsBelow() throws Exception {
        PartitionLog log = open(CFG);
        append(log, 100, 0).durable().get(10, TimeUnit.SECONDS);
        int before = log.segmentCount();
        assertEquals(3, log.advanceLogStartOffset(3));
        assertEquals(before, log.segmentCount(), "offset 3 is inside the first segment");
        assertEquals(3, log.logStartOffset());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(2, 1000, Long.MAX_VALUE, true));
        assertEquals(2, log.read(3, 1000, Long.MAX_VALUE, true).slices().getFirst().baseOffset(),
                "the batch holding offset 3 starts at 2");
        assertEquals(120, log.advanceLogStartOffset(120));
        assertTrue(log.segmentCount() < before);
        assertEquals(3, log.advanceLogStartOffset(3) == 120 ? 3 : -1, "never moves backwards");
        assertThrows(OffsetOutOfRangeException.class, () -> log.advanceLogStartOffset(201));
        long firstIndex = log.firstIndex();
        manager.close();
        PartitionLog again = open(CFG);
        assertEquals(120, again.logStartOffset(), "checkpointed");
        assertEquals(firstIndex, again.firstIndex());
        ByteBuffer first = again.read(120, 1000, Long.MAX_VALUE, true).slices().getFirst().toByteBuffer();
        assertEquals(120, first.getLong(0));
        assertArrayEquals(array(first), array(again.entry(61).payload()));
    }
}
