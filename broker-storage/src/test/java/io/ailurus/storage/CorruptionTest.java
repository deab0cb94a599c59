package io.ailurus.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.ailurus.storage.PartitionLogTest.array;
import static io.ailurus.storage.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Damaged files: a flipped byte in a closed segment, a damaged index, a torn tail. */
class CorruptionTest {
    @TempDir
    Path dir;
    LogManager manager;
    List<ByteBuffer> written;

    static final LogConfig CFG = LogConfig.defaults().withSegmentBytes(64 * 1024).withPreallocateBytes(64 * 1024)
            .withIndexIntervalBytes(1024);

    PartitionLog open() {
        manager = LogManager.open(dir, StorageConfig.defaults().withFileDeleteDelayMs(0));
        return manager.openLog("kafka/t/0", CFG);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    Path logDir() {
        return dir.resolve("kafka/t/0");
    }

    /** 60 one-record batches of ~3 KiB (offset == index - 1) in several segments, closed cleanly. */
    List<Long> prepare() throws Exception {
        PartitionLog log = open();
        written = new ArrayList<>();
        AppendResult r = null;
        for (int i = 0; i < 60; i++) {
            ByteBuffer b = Batches.batch(0, 1, 1000 + i, 3000, new Random(i));
            r = log.appendBatch(1, b);
            written.add(ByteBuffer.wrap(array(b)));
        }
        r.durable().get(10, TimeUnit.SECONDS);
        List<Long> bases = log.segmentBaseIndexes();
        assertTrue(bases.size() >= 3);
        manager.close();
        manager = null;
        return bases;
    }

    Path segment(long base, String suffix) {
        return logDir().resolve(String.format("%020d%s", base, suffix));
    }

    /** Positions of the entries of a segment file, read with the format's own header layout. */
    static List<Integer> entryPositions(Path file) throws IOException {
        List<Integer> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        int pos = 0;
        while (pos + 32 <= b.limit() && b.get(pos + 8) != 0) {
            out.add(pos);
            pos += 32 + b.getInt(pos + 4);
        }
        return out;
    }

    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
            ch.write(one, position);
        }
    }

    @Test
    void aFlippedByteInAClosedSegmentIsNeverServedAndLaterSegmentsStay() throws Exception {
        List<Long> bases = prepare();
        long base = bases.get(1);
        List<Integer> positions = entryPositions(segment(base, ".log"));
        int victim = positions.size() / 2;
        long victimIndex = base + victim;
        flipByte(segment(base, ".log"), positions.get(victim) + 32 + 100);   // inside the batch's records

        PartitionLog log = open();
        assertEquals(60, log.lastIndex(), "later segments are kept");
        long victimOffset = victimIndex - 1;
        CorruptLogException e = assertThrows(CorruptLogException.class,
                () -> log.read(victimOffset, 1 << 20, Long.MAX_VALUE, true));
        assertTrue(e.getMessage().contains(segment(base, ".log").toString()), e.getMessage());
        assertThrows(CorruptLogException.class, () -> log.read(victimOffset - 3, 1 << 20, Long.MAX_VALUE, true),
                "a read running into the damaged batch fails rather than skipping it");
        assertThrows(CorruptLogException.class, () -> log.entry(victimIndex));
        // Everything else reads back exactly.
        ReadResult before = log.read(0, 1 << 20, victimOffset, true);
        assertEquals(victimOffset, before.slices().size());
        ReadResult after = log.read(victimOffset + 1, 1 << 20, Long.MAX_VALUE, true);
        for (ReadSlice s : after.slices()) {
            assertArrayEquals(array(written.get((int) s.baseOffset())), array(s.toByteBuffer()));
        }
        assertEquals(59, after.slices().getLast().lastOffset());
    }

    @Test
    void damageFoundByARebuildScanMarksTheRangeAndKeepsLaterSegments() throws Exception {
        List<Long> bases = prepare();
        long base = bases.get(1);
        List<Integer> positions = entryPositions(segment(base, ".log"));
        int victim = positions.size() / 2;
        flipByte(segment(base, ".log"), positions.get(victim) + 5);   // the entry header's length field
        Files.delete(segment(base, ".index"));                       // forces a scan of that segment

        PartitionLog log = open();
        assertEquals(60, log.lastIndex());
        long victimOffset = base + victim - 1;
        assertThrows(CorruptLogException.class, () -> log.read(victimOffset, 1 << 20, Long.MAX_VALUE, true));
        assertThrows(CorruptLogException.class, () -> log.entry(bases.get(2) - 1), "the rest of the damaged segment");
        ReadResult later = log.read(bases.get(2) - 1, 1 << 20, Long.MAX_VALUE, true);
        assertEquals(bases.get(2) - 1, later.slices().getFirst().baseOffset());
        assertArrayEquals(array(written.get(59)), array(later.slices().getLast().toByteBuffer()));
        assertEquals(victimOffset, log.read(0, 1 << 20, victimOffset, true).slices().size());
    }

    @Test
    void aDamagedIndexIsRebuilt() throws Exception {
        List<Long> bases = prepare();
        Path index = segment(bases.get(0), ".index");
        flipByte(index, 30);
        Path timeIndex = segment(bases.get(1), ".timeindex");
        Files.write(timeIndex, new byte[]{1, 2, 3});

        PartitionLog log = open();
        assertEquals(60, log.lastIndex());
        List<ByteBuffer> all = readAll(log);
        assertEquals(60, all.size());
        for (int i = 0; i < 60; i++) {
            assertArrayEquals(array(written.get(i)), array(all.get(i)));
        }
        for (int i = 0; i < 60; i += 7) {
            assertEquals(new TimestampOffset(i, 1000 + i), log.offsetForTimestamp(1000 + i));
            assertEquals(i + 1, log.entry(i + 1).index());
        }
        manager.close();
        manager = null;
        // The rebuilt files were written back and are trusted next time.
        IndexFiles.Loaded reloaded = IndexFiles.load(index, segment(bases.get(0), ".timeindex"), bases.get(0),
                Files.size(segment(bases.get(0), ".log")));
        assertEquals(null, reloaded.problem());
    }

    @Test
    void aTornTailIsCutAtTheLastValidEntry() throws Exception {
        List<Long> bases = prepare();
        Files.delete(logDir().resolve("clean-shutdown"));   // as after a crash
        Path last = segment(bases.getLast(), ".log");
        List<Integer> positions = entryPositions(last);
        int lastPos = positions.getLast();
        long size = Files.size(last);
        // The last entry loses its final bytes (a write that reached the disk only in part), then preallocated zeros.
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(size - 700);
            ch.write(ByteBuffer.allocate(8192), size - 700);
        }
        PartitionLog log = open();
        assertEquals(59, log.lastIndex(), "entry 60 was torn");
        assertEquals(59, log.logEndOffset());
        assertEquals(lastPos, Files.size(last), "the file is cut where the torn entry began");
        List<ByteBuffer> all = readAll(log);
        assertEquals(59, all.size());
        AppendResult r = log.appendBatch(1, Batches.batch(0, 1, 5));
        assertEquals(60, r.firstIndex());
        assertEquals(59, r.baseOffset());
        r.durable().get(10, TimeUnit.SECONDS);
        manager.close();
        manager = null;
        assertEquals(60, open().lastIndex());
    }

    @Test
    void garbageAfterTheLastEntryIsDropped() throws Exception {
        List<Long> bases = prepare();
        Files.delete(logDir().resolve("clean-shutdown"));
        Path last = segment(bases.getLast(), ".log");
        long size = Files.size(last);
        byte[] garbage = new byte[5000];
        new Random(7).nextBytes(garbage);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(garbage), size);
        }
        PartitionLog log = open();
        assertEquals(60, log.lastIndex());
        assertEquals(size, Files.size(last));
        assertEquals(60, readAll(log).size());
    }
}
