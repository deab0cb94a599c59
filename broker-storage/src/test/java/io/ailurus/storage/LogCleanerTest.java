package io.ailurus.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log cleaner on real segment files: what a pass keeps, what it removes, and how a swap survives a crash. */
class LogCleanerTest {
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private LogManager manager;
    private PartitionLog plog;
    private long term = 1;

    /** One record as a consumer sees it. */
    record Rec(long offset, String key, String value, long timestamp) {
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    private void open(CompactionConfig compaction) {
        open(compaction, -1);
    }

    private void open(CompactionConfig compaction, long retentionMs) {
        manager = LogManager.open(dir, StorageConfig.defaults().withFileDeleteDelayMs(0).withClock(clock::get));
        plog = manager.openLog("kafka/t/0", LogConfig.defaults().withSegmentMs(10).withRetentionMs(retentionMs)
                .withCompaction(compaction));
    }

    private LogCleaner cleaner() {
        return LogCleaner.create(manager, CleanerConfig.defaults().withClock(clock::get));
    }

    private static SimpleRecord rec(long ts, String key, String value) {
        return new SimpleRecord(ts, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends one batch as the leader would, waits until it is durable; returns its base offset. */
    private long append(MemoryRecords records) {
        AppendResult r = plog.appendBatch(term, records.buffer().duplicate());
        r.durable().join();
        return r.baseOffset();
    }

    private long append(String key, String value) {
        return append(MemoryRecords.withRecords(0L, Compression.NONE, rec(clock.get(), key, value)));
    }

    /** The next append starts a new segment (segmentMs is 10 and the clock moves 11). */
    private void roll() {
        clock.addAndGet(11);
    }

    private List<RecordBatch> batches() {
        List<RecordBatch> out = new ArrayList<>();
        for (ByteBuffer b : Batches.bytes(plog.read(plog.logStartOffset(), Integer.MAX_VALUE, Long.MAX_VALUE, true))) {
            out.add(Batches.parse(b));
        }
        return out;
    }

    private List<Rec> records() {
        List<Rec> out = new ArrayList<>();
        for (RecordBatch b : batches()) {
            if (b.isControlBatch()) {
                continue; // consumers never see transaction markers as records
            }
            for (Record r : b) {
                out.add(new Rec(r.offset(), r.hasKey() ? StandardCharsets.UTF_8.decode(r.key()).toString() : null,
                        r.hasValue() ? StandardCharsets.UTF_8.decode(r.value()).toString() : null, r.timestamp()));
            }
        }
        return out;
    }

    @Test
    void keepsTheLatestRecordPerKeyAtItsOffsetAndEveryRaftEntry() {
        open(CompactionConfig.compacted());
        Map<String, Rec> latest = new LinkedHashMap<>();
        List<Rec> all = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            for (String k : List.of("a", "b", "c")) {
                String v = k + "-" + round;
                long ts = clock.get();
                long off = append(k, v);
                Rec r = new Rec(off, k, v, ts);
                latest.put(k, r);
                all.add(r);
            }
            roll();
        }
        // A last batch in the active segment: never compacted, although it repeats key a.
        long activeOff = append("a", "active");
        Rec active = new Rec(activeOff, "a", "active", clock.get());
        long lastIndex = plog.lastIndex();
        List<Long> terms = new ArrayList<>();
        for (long i = plog.firstIndex(); i <= lastIndex; i++) {
            terms.add(plog.termAt(i));
        }
        List<long[]> batchOffsetsBefore = batches().stream().map(b -> new long[]{b.baseOffset(), b.lastOffset()}).toList();
        long sizeBefore = plog.sizeBytes();

        LogCleaner.PassResult r = cleaner().clean(plog);

        assertTrue(r.segmentsRewritten() > 0, "a pass rewrote segments: " + r);
        assertEquals(all.size() - 3, r.recordsRemoved());
        List<Rec> expected = new ArrayList<>(latest.values());
        expected.sort(java.util.Comparator.comparingLong(Rec::offset));
        expected.add(active);
        assertEquals(expected, records(), "the latest record per key, at its own offset, then the active segment");
        // Every batch is still there with its offsets (emptied ones included), every Raft entry with its term.
        assertEquals(batchOffsetsBefore.size(), batches().size());
        for (int i = 0; i < batchOffsetsBefore.size(); i++) {
            assertArrayEquals(batchOffsetsBefore.get(i), new long[]{batches().get(i).baseOffset(), batches().get(i).lastOffset()});
        }
        assertEquals(lastIndex, plog.lastIndex());
        for (long i = plog.firstIndex(); i <= lastIndex; i++) {
            LogEntry e = plog.entry(i);
            assertNotNull(e, "entry " + i);
            assertEquals(terms.get((int) (i - plog.firstIndex())), e.term());
        }
        assertTrue(plog.sizeBytes() < sizeBefore, "the log shrank: " + sizeBefore + " -> " + plog.sizeBytes());

        // After a restart the compacted log reads the same (its index files are trusted or rebuilt).
        manager.close();
        manager = null;
        open(CompactionConfig.compacted());
        assertEquals(expected, records());
    }

    @Test
    void tombstonesStayForDeleteRetentionAfterTheirFirstCompactionThenGo() {
        open(CompactionConfig.compacted().withDeleteRetentionMs(DAY));
        long ts0 = clock.get();
        append("a", "1");
        append("b", "1");
        append("a", null);
        roll();
        append("c", "1");
        LogCleaner cleaner = cleaner();
        cleaner.clean(plog);
        List<Rec> first = records();
        assertEquals(List.of(new Rec(1, "b", "1", ts0), new Rec(2, "a", null, ts0), new Rec(3, "c", "1", clock.get())),
                first, "the tombstone is kept (with its timestamp) after its first compaction");
        assertTrue(batches().get(2).deleteHorizonMs().isPresent(), "its batch carries a delete horizon");

        clock.addAndGet(DAY - 1000);
        assertEquals(0, cleaner.runOnce(), "nothing is due before the horizon");
        assertEquals(first, records());

        clock.addAndGet(2000);
        assertEquals(1, cleaner.runOnce(), "the passed delete horizon makes the log due");
        assertEquals(List.of(new Rec(1, "b", "1", ts0), new Rec(3, "c", "1", ts0 + 11)), records());
    }

    @Test
    void controlBatchesAndProducerStateSurviveAndEmptiedBatchesKeepTheirHeader() {
        open(CompactionConfig.compacted());
        long ts = clock.get();
        // An idempotent producer's batch whose only record is superseded later.
        MemoryRecords idem = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE,
                TimestampType.CREATE_TIME, 7L, (short) 3, 5, 0, false, rec(ts, "k", "old"), rec(ts, "k", "older?"));
        append(idem);
        // A committed transaction touching k, and its marker: kept whole.
        MemoryRecords txn = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V2, 0L, Compression.NONE,
                TimestampType.CREATE_TIME, 9L, (short) 1, 0, 0, true, rec(ts, "k", "txn"));
        append(txn);
        append(MemoryRecords.withEndTransactionMarker(0L, ts, 0, 9L, (short) 1,
                new EndTransactionMarker(ControlRecordType.COMMIT, 4)));
        append("k", "new");
        roll();
        append("z", "active");
        ByteBuffer txnBefore = plog.read(2, Integer.MAX_VALUE, 3, true).slices().getFirst().toByteBuffer();
        ByteBuffer markerBefore = plog.read(3, Integer.MAX_VALUE, 4, true).slices().getFirst().toByteBuffer();

        cleaner().clean(plog);

        List<RecordBatch> b = batches();
        assertEquals(5, b.size());
        RecordBatch emptied = b.getFirst();
        assertEquals(0, emptied.countOrNull(), "the idempotent batch lost both records");
        assertEquals(0, emptied.baseOffset());
        assertEquals(1, emptied.lastOffset(), "and kept its offset range");
        assertEquals(7L, emptied.producerId());
        assertEquals(3, emptied.producerEpoch());
        assertEquals(5, emptied.baseSequence());
        assertEquals(6, emptied.lastSequence(), "so the producer's sequence state rebuilds");
        assertEquals(txnBefore, plog.read(2, Integer.MAX_VALUE, 3, true).slices().getFirst().toByteBuffer(),
                "transactional batch unchanged");
        assertEquals(markerBefore, plog.read(3, Integer.MAX_VALUE, 4, true).slices().getFirst().toByteBuffer(),
                "control batch unchanged");
        assertEquals(List.of(new Rec(2, "k", "txn", ts), new Rec(4, "k", "new", ts), new Rec(5, "z", "active", clock.get())),
                records());
    }

    @Test
    void raftOnlyEntriesAreCopiedAsTheyAre() {
        open(CompactionConfig.compacted());
        append("a", "1");
        long noop = plog.lastIndex() + 1;
        plog.append(List.of(new LogEntry(noop, 2, EntryType.NO_OP, ByteBuffer.allocate(0)),
                new LogEntry(noop + 1, 2, EntryType.RAFT_CONFIGURATION, ByteBuffer.wrap("peers".getBytes()))))
                .durable().join();
        term = 2;
        append("a", "2");
        roll();
        append("b", "active");

        cleaner().clean(plog);

        assertEquals(EntryType.NO_OP, plog.entry(noop).type());
        assertEquals(2, plog.entry(noop).term());
        LogEntry conf = plog.entry(noop + 1);
        assertEquals(EntryType.RAFT_CONFIGURATION, conf.type());
        assertEquals("peers", StandardCharsets.UTF_8.decode(conf.payload()).toString());
        assertEquals(List.of("2", "active"), records().stream().map(Rec::value).toList());
    }

    @Test
    void neverCompactsAboveTheCallersBoundNorYoungerThanTheMinimumLag() {
        open(CompactionConfig.compacted());
        append("a", "1");
        roll();
        long second = append("a", "2");
        roll();
        append("a", "3");
        roll();
        append("x", "active");
        plog.setCleanableEndOffset(() -> second + 1);
        cleaner().clean(plog);
        assertEquals(List.of("2", "3", "active"), records().stream().map(Rec::value).toList(),
                "only the segments below the bound (offsets 0..1) were compacted");

        plog.updateConfig(plog.config().withCompaction(CompactionConfig.compacted().withMinCompactionLagMs(DAY)));
        plog.setCleanableEndOffset(() -> Long.MAX_VALUE);
        assertEquals(LogCleaner.PassResult.NOTHING, cleaner().clean(plog), "every segment is younger than the lag");
        assertEquals(List.of("2", "3", "active"), records().stream().map(Rec::value).toList());

        plog.updateConfig(plog.config().withCompaction(CompactionConfig.compacted()));
        cleaner().clean(plog);
        assertEquals(List.of("3", "active"), records().stream().map(Rec::value).toList());
    }

    @Test
    void aLogIsPickedOnlyAboveItsDirtyRatioAndNotAtAllWithoutCompaction() {
        open(CompactionConfig.compacted().withMinCleanableDirtyRatio(0.5));
        PartitionLog plain = manager.openLog("kafka/plain/0", LogConfig.defaults().withSegmentMs(10));
        for (int i = 0; i < 4; i++) {
            append("a", "v" + i);
            plain.appendBatch(1, MemoryRecords.withRecords(0L, Compression.NONE, rec(clock.get(), "a", "v" + i)).buffer())
                    .durable().join();
            roll();
        }
        append("a", "active");
        LogCleaner cleaner = cleaner();
        assertEquals(1, cleaner.runOnce(), "all dirty: the compacted log is cleaned, the plain one never");
        assertEquals(4, plain.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true).slices().stream()
                .mapToInt(sl -> Batches.parse(sl.toByteBuffer()).countOrNull()).sum(), "the plain log keeps every record");
        assertEquals(0, cleaner.runOnce(), "nothing dirty any more");
        // One new closed segment of four: a dirty ratio of 1/5 < 0.5.
        roll();
        append("b", "1");
        assertEquals(0, cleaner.runOnce());
        assertTrue(cleaner.stats().maxDirtyRatio() > 0 && cleaner.stats().maxDirtyRatio() < 0.5,
                "ratio " + cleaner.stats().maxDirtyRatio());
    }

    @Test
    void maxCompactionLagForcesAPassBelowTheDirtyRatio() {
        open(CompactionConfig.compacted().withMinCleanableDirtyRatio(0.99).withMaxCompactionLagMs(60_000));
        append("a", "1");
        roll();
        append("a", "2");
        roll();
        append("z", "active");
        LogCleaner cleaner = cleaner();
        cleaner.clean(plog);
        roll();
        append("a", "3");
        roll();
        append("z", "active2");
        assertEquals(0, cleaner.runOnce(), "half the cleanable bytes are dirty: below the 0.99 ratio");
        assertEquals(List.of("2", "active", "3", "active2"), records().stream().map(Rec::value).toList());
        clock.addAndGet(61_000);
        assertEquals(1, cleaner.runOnce(), "the oldest dirty data is past max.compaction.lag.ms");
        assertEquals(List.of("active", "3", "active2"), records().stream().map(Rec::value).toList());
    }

    @Test
    void entriesBeforeTheFirstChangeAreCopiedAsTheyAreAndSegmentsWithoutChangeAreNotRewritten() throws Exception {
        open(CompactionConfig.compacted());
        append("y", "1");
        append("x", "1");
        append("x", "2");
        roll();
        append("z", "1");
        roll();
        append("w", "active");
        ByteBuffer y = plog.read(0, Integer.MAX_VALUE, 1, true).slices().getFirst().toByteBuffer();
        LogCleaner.PassResult r = cleaner().clean(plog);
        assertEquals(1, r.segmentsRewritten(), "the segment of z has nothing to remove");
        assertEquals(y, plog.read(0, Integer.MAX_VALUE, 1, true).slices().getFirst().toByteBuffer(), "y's batch as it was");
        assertEquals(List.of("y1", "x2", "z1", "wactive"), records().stream().map(x -> x.key() + x.value()).toList());
        long base = plog.segmentBaseIndexes().getFirst();
        Path dirOfLog = plog.dir();
        manager.close();
        manager = null;
        open(CompactionConfig.compacted());
        assertEquals(List.of("y1", "x2", "z1", "wactive"), records().stream().map(x -> x.key() + x.value()).toList());
        // Without its index files (a crash right after the swap) the compacted segment is scanned entry by entry:
        // the copied and the rewritten entries must read as one file (same salt, dense indexes, valid CRCs).
        manager.close();
        manager = null;
        Files.delete(dirOfLog.resolve(Segment.fileName(base, ".index")));
        Files.delete(dirOfLog.resolve(Segment.fileName(base, ".timeindex")));
        Files.delete(dirOfLog.resolve("clean-shutdown"));
        open(CompactionConfig.compacted());
        assertEquals(List.of("y1", "x2", "z1", "wactive"), records().stream().map(x -> x.key() + x.value()).toList());
    }

    @Test
    void gzipBatchesAreCompactedWithTheirCodec() {
        open(CompactionConfig.compacted());
        long ts = clock.get();
        append(MemoryRecords.withRecords(0L, Compression.gzip().build(), rec(ts, "a", "1"), rec(ts, "b", "1"), rec(ts, "c", "1")));
        append(MemoryRecords.withRecords(0L, Compression.gzip().build(), rec(ts, "a", "2")));
        roll();
        append("z", "active");
        cleaner().clean(plog);
        RecordBatch first = batches().getFirst();
        assertEquals(org.apache.kafka.common.compress.Compression.gzip().build().type(), first.compressionType());
        assertEquals(List.of(new Rec(1, "b", "1", ts), new Rec(2, "c", "1", ts), new Rec(3, "a", "2", ts)),
                records().subList(0, 3));
    }

    @Test
    void compactAndDeleteStillDeletesOldSegmentsByTime() {
        open(CompactionConfig.compacted(), 60_000);
        append("a", "1");
        roll();
        append("b", "1");
        roll();
        clock.addAndGet(120_000);
        append("a", "2");
        roll();
        append("z", "active");
        cleaner().clean(plog);
        assertEquals(List.of("1", "2", "active"), records().stream().map(Rec::value).toList());
        RetentionResult r = plog.enforceRetention(clock.get());
        assertEquals(2, r.segmentsDeleted());
        assertEquals(List.of("2", "active"), records().stream().map(Rec::value).toList());
        assertEquals(2, plog.logStartOffset());
    }

    @Test
    void aCrashAfterTheSwapCommitFinishesItAndOneBeforeDiscardsTheCopy() throws Exception {
        open(CompactionConfig.compacted());
        append("a", "1");
        append("a", "2");
        roll();
        append("z", "active");
        long base = plog.segmentBaseIndexes().getFirst();
        Path seg = plog.dir().resolve(Segment.fileName(base, ".log"));
        Path idx = plog.dir().resolve(Segment.fileName(base, ".index"));
        Path tidx = plog.dir().resolve(Segment.fileName(base, ".timeindex"));
        byte[] original = Files.readAllBytes(seg);
        byte[] originalIdx = Files.readAllBytes(idx);
        byte[] originalTidx = Files.readAllBytes(tidx);
        cleaner().clean(plog);
        List<Rec> compacted = records();
        assertEquals(List.of("2", "active"), compacted.stream().map(Rec::value).toList());
        manager.close();
        manager = null;
        byte[] cleaned = Files.readAllBytes(seg);
        assertTrue(cleaned.length < original.length);

        // Crash between the commit (.swap renamed in place) and the replacement: the original files are still there.
        Files.write(seg, original);
        Files.write(idx, originalIdx);
        Files.write(tidx, originalTidx);
        Files.write(seg.resolveSibling(seg.getFileName() + ".swap"), cleaned);
        open(CompactionConfig.compacted());
        assertEquals(compacted, records(), "the committed swap was finished");
        assertFalse(Files.exists(seg.resolveSibling(seg.getFileName() + ".swap")));
        manager.close();
        manager = null;

        // Crash before the commit: a .cleaned copy next to the original, which stays in service.
        Files.write(seg, original);
        Files.write(idx, originalIdx);
        Files.write(tidx, originalTidx);
        Files.write(seg.resolveSibling(seg.getFileName() + ".cleaned"), cleaned);
        open(CompactionConfig.compacted());
        assertEquals(List.of("1", "2", "active"), records().stream().map(Rec::value).toList());
        assertFalse(Files.exists(seg.resolveSibling(seg.getFileName() + ".cleaned")));
    }
}
