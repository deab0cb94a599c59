package io.ailurus.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.ailurus.storage.PartitionLogTest.array;
import static io.ailurus.storage.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Segment files retired by retention are reused as new segments ({@link SegmentPool}): written once instead of
 * zero-filled and then written, and their old content is never taken for data, also after a crash.
 * <p>A "crash" here is a copy of the log directory taken while the log is open with everything durable: the copy holds
 * exactly what the files hold (what a kill -9 leaves), without the clean-shutdown marker, so opening it recovers by
 * scanning.
 */
class SegmentRecyclingTest {
    @TempDir
    Path dir;
    final List<LogManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        for (LogManager m : managers) {
            m.close();
        }
    }

    LogManager open(Path d, StorageConfig cfg) {
        LogManager m = LogManager.open(d, cfg);
        managers.add(m);
        return m;
    }

    /** One entry = exactly one 4 KiB page (32-byte header + 4064-byte payload), 16 to a 64 KiB segment. */
    static final int PAGE_PAYLOAD = 4096 - 32;
    static final LogConfig PAGE_CFG = LogConfig.defaults().withSegmentBytes(64 * 1024).withPreallocateBytes(64 * 1024)
            .withRetentionMs(-1);

    static LogEntry pageEntry(long index) {
        byte[] b = new byte[PAGE_PAYLOAD];
        // The same bytes for the same index in every log: a stale entry differs from a new one by its salt only.
        new Random(index).nextBytes(b);
        return new LogEntry(index, 1, EntryType.NO_OP, ByteBuffer.wrap(b));
    }

    static void appendPages(PartitionLog log, long from, long to) throws Exception {
        AppendResult r = null;
        for (long i = from; i <= to; i++) {
            r = log.append(List.of(pageEntry(i)));
        }
        r.durable().get(30, TimeUnit.SECONDS);
    }

    @Test
    void staleEntriesOfARecycledFileAreNeverRecoveredAfterACrash() throws Exception {
        LogManager m = open(dir.resolve("data"), StorageConfig.defaults().withFileDeleteDelayMs(0));
        // Log A fills segments 1..16, 17..32 and 33..48, then a snapshot drops the first two: their files go to the
        // pool, the last retired (17..32, intact entries 18..32 after the zeroed first page) on top.
        PartitionLog a = m.openLog("raft/a", PAGE_CFG);
        appendPages(a, 1, 48);
        assertEquals(List.of(1L, 17L, 33L), a.segmentBaseIndexes());
        a.truncatePrefix(33);
        assertEquals(2, m.pooledSegmentFiles());

        // Log B writes the very same entries 1..20: its segment 17 is A's old file, where entries 21..32 still lie
        // intact, page-aligned, at exactly the positions and with exactly the indexes B would give them.
        PartitionLog b = m.openLog("raft/b", PAGE_CFG);
        appendPages(b, 1, 20);
        assertEquals(1, m.segmentFilesReused());
        assertEquals(List.of(1L, 17L), b.segmentBaseIndexes());
        Path seg17 = b.dir().resolve(Segment.fileName(17, ".log"));
        assertEquals(64 * 1024, Files.size(seg17), "the reused file keeps its size (nothing to zero-fill)");

        Path crashed = copyOfLogDir(b.dir(), dir.resolve("crash"), "raft/b");
        LogManager after = open(dir.resolve("crash"), StorageConfig.defaults());
        PartitionLog b2 = after.openLog("raft/b", PAGE_CFG);
        assertTrue(Files.isDirectory(crashed));
        assertEquals(20, b2.lastIndex(), "recovery must stop where B's own entries end, not at A's stale 32");
        for (long i = 1; i <= 20; i++) {
            assertArrayEquals(array(pageEntry(i).payload()), array(b2.entry(i).payload()), "entry " + i);
        }
        assertNull(b2.entry(21));
        // The log goes on from 21 and its new entries survive the next crash too.
        appendPages(b2, 21, 24);
        copyOfLogDir(b2.dir(), dir.resolve("crash2"), "raft/b");
        PartitionLog b3 = open(dir.resolve("crash2"), StorageConfig.defaults()).openLog("raft/b", PAGE_CFG);
        assertEquals(24, b3.lastIndex());
        assertArrayEquals(array(pageEntry(24).payload()), array(b3.entry(24).payload()));
    }

    @Test
    void anEmptyRecycledSegmentRecoversEmpty() throws Exception {
        LogManager m = open(dir.resolve("data"), StorageConfig.defaults().withFileDeleteDelayMs(0));
        PartitionLog a = m.openLog("raft/a", PAGE_CFG);
        appendPages(a, 1, 48);
        a.truncatePrefix(33);
        PartitionLog b = m.openLog("raft/b", PAGE_CFG);
        // Entry 17 rolls B onto A's old file; a crash right after the roll, before B's write lands, leaves the file
        // as the pool left it: first page zeroed, A's entries after it.
        appendPages(b, 1, 16);
        b.append(List.of(pageEntry(17))).durable().get(30, TimeUnit.SECONDS);
        Path logDir = b.dir();
        copyOfLogDir(logDir, dir.resolve("crash"), "raft/b");
        Path seg17 = dir.resolve("crash").resolve("raft/b").resolve(Segment.fileName(17, ".log"));
        // Undo B's entry 17 in the copy: its page back to zeros, as if the write had not reached the disk.
        try (var ch = java.nio.channels.FileChannel.open(seg17, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4096), 0);
        }
        PartitionLog b2 = open(dir.resolve("crash"), StorageConfig.defaults()).openLog("raft/b", PAGE_CFG);
        assertEquals(16, b2.lastIndex(), "A's entries 18..32 must not be taken for B's");
        assertNull(b2.entry(17));
        appendPages(b2, 17, 18);
        assertArrayEquals(array(pageEntry(18).payload()), array(b2.entry(18).payload()));
    }

    @Test
    void retiredSegmentFilesAreReusedAndWrittenOnce() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/io")), "needs Linux /proc/self/io");
        int segment = 1 << 20;
        LogConfig cfg = LogConfig.defaults().withSegmentBytes(segment).withPreallocateBytes(segment)
                .withRetentionMs(-1).withRetentionBytes(segment);
        LogManager m = open(dir.resolve("data"), StorageConfig.defaults().withFileDeleteDelayMs(0));
        PartitionLog log = m.openLog("kafka/t/0", cfg);
        Random random = new Random(3);
        List<ByteBuffer> written = new ArrayList<>();
        while (log.segmentCount() < 4) {
            ByteBuffer batch = Batches.batch(0, 4, written.size(), 4000, random);
            written.add(batch.duplicate());
            log.appendBatch(1, batch).durable().get(30, TimeUnit.SECONDS);
        }
        RetentionResult r = log.enforceRetention(System.currentTimeMillis());
        assertTrue(r.segmentsDeleted() >= 1, "retention by size deletes the oldest segments: " + r);
        int pooled = m.pooledSegmentFiles();
        assertEquals(r.segmentsDeleted(), pooled, "every retired file is kept for reuse");
        long reusedBefore = m.segmentFilesReused();

        // Fill the next segment, which must come from the pool: no zeros written ahead, each byte once.
        int segmentsBefore = log.segmentCount();
        long before = -1;
        long dataBytes = 0;
        int rounds = 0;
        int afterRoll = 0;
        // Until the roll, then ~640 KiB into the new segment, measured from the first round after the one that rolled:
        // the fresh segment before it zero-fills its step over several rounds, some of them just before the roll.
        while (afterRoll < 40) {
            ByteBuffer batch = Batches.batch(0, 4, written.size(), 4000, random);
            if (afterRoll > 0) {
                dataBytes += batch.remaining() + 32;
                rounds++;
            }
            written.add(batch.duplicate());
            log.appendBatch(1, batch).durable().get(30, TimeUnit.SECONDS);
            if (log.segmentCount() > segmentsBefore) {
                if (afterRoll == 0) {
                    before = writeBytes();
                }
                afterRoll++;
            }
        }
        long sent = writeBytes() - before;
        assertEquals(reusedBefore + 1, m.segmentFilesReused());
        assertEquals(pooled - 1, m.pooledSegmentFiles());
        // Each round rewrites its partial last page (<= 4 KiB); a fresh segment would add its first preallocation
        // step's zeros on top (1 MiB within the first 4 rounds, 256 KiB a round).
        assertTrue(sent <= dataBytes + rounds * 4096L + 128 * 1024,
                "sent " + sent + " bytes to storage for " + dataBytes + " bytes of entries in " + rounds + " rounds");

        // Everything reads back, now and after a crash (scan of the reused file) and after a clean restart.
        List<ByteBuffer> kept = written.subList(written.size() - readAll(log).size(), written.size());
        assertBatches(kept, readAll(log));
        copyOfLogDir(log.dir(), dir.resolve("crash"), "kafka/t/0");
        PartitionLog recovered = open(dir.resolve("crash"), StorageConfig.defaults()).openLog("kafka/t/0", cfg);
        assertEquals(log.logEndOffset(), recovered.logEndOffset());
        assertBatches(kept, readAll(recovered));
    }

    @Test
    void thePoolKeepsItsFilesAcrossRestartsWithinItsBudget() throws Exception {
        StorageConfig sc = StorageConfig.defaults().withFileDeleteDelayMs(0).withSegmentPoolBytes(100 * 1024);
        Path data = dir.resolve("data");
        LogManager m = open(data, sc);
        PartitionLog a = m.openLog("raft/a", PAGE_CFG);
        appendPages(a, 1, 64);
        a.truncatePrefix(49);
        // Three 64 KiB files retired, room for one in 100 KiB: the others are deleted.
        assertEquals(1, m.pooledSegmentFiles());
        assertEquals(1, countFiles(data.resolve(SegmentPool.DIR_NAME)));
        m.close();
        managers.remove(m);

        LogManager again = open(data, sc);
        assertEquals(1, again.pooledSegmentFiles(), "a restart keeps the pooled file");
        PartitionLog b = again.openLog("raft/b", PAGE_CFG);
        appendPages(b, 1, 17);
        assertEquals(1, again.segmentFilesReused());
        assertEquals(0, again.pooledSegmentFiles());
        again.close();
        managers.remove(again);

        // Disabled: a directory opened with no pool budget keeps nothing.
        LogManager off = open(data, sc.withSegmentPoolBytes(0));
        PartitionLog c = off.openLog("raft/a", PAGE_CFG);
        c.truncatePrefix(c.lastIndex() + 1);
        assertEquals(0, off.pooledSegmentFiles());
        assertTrue(!Files.exists(data.resolve(SegmentPool.DIR_NAME)) || countFiles(data.resolve(SegmentPool.DIR_NAME)) == 0);
    }

    @Test
    void aDiskShortOfSpaceGetsRetiredFilesBackAsFreeSpace() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        // A budget larger than the free space: as on a nearly full disk, retention must free space, not pool it.
        long budget = Files.getFileStore(data).getUsableSpace() + (1L << 30);
        LogManager m = open(data, StorageConfig.defaults().withFileDeleteDelayMs(0).withSegmentPoolBytes(budget));
        PartitionLog a = m.openLog("raft/a", PAGE_CFG);
        appendPages(a, 1, 48);
        a.truncatePrefix(33);
        assertEquals(0, m.pooledSegmentFiles());
        assertEquals(0, countFiles(data.resolve(SegmentPool.DIR_NAME)), "the retired files were deleted");
        try (Stream<Path> s = Files.list(a.dir())) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".deleted")).count());
        }
    }

    @Test
    void thePoolDirectoryIsNotALogName() {
        LogManager m = open(dir.resolve("data"), StorageConfig.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.openLog(SegmentPool.DIR_NAME + "/x", PAGE_CFG));
        assertTrue(e.getMessage().contains(SegmentPool.DIR_NAME), e.getMessage());
    }

    private static void assertBatches(List<ByteBuffer> expected, List<ByteBuffer> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            // Base offsets were stamped on append; compare from the batch length field on.
            byte[] e = array(expected.get(i));
            byte[] a = array(actual.get(i));
            assertArrayEquals(Arrays.copyOfRange(e, 8, e.length), Arrays.copyOfRange(a, 8, a.length), "batch " + i);
        }
    }

    private static long countFiles(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    /** Copies the files of a log directory as they are now into {@code dataDir}/{@code name}. */
    static Path copyOfLogDir(Path logDir, Path dataDir, String name) throws IOException {
        Path to = dataDir.resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(logDir)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    Files.copy(p, to.resolve(p.getFileName().toString()));
                }
            }
        }
        return to;
    }

    private static long writeBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).trim());
            }
        }
        throw new AssertionError("no write_bytes in /proc/self/io");
    }
}
