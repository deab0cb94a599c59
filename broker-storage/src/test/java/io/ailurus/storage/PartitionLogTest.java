package io.ailurus.storage;

import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Append/read round trips, lookups and reopen on real files. */
class PartitionLogTest {
    @TempDir
    Path dir;
    LogManager manager;

    static final LogConfig SMALL = LogConfig.defaults().withPreallocateBytes(64 * 1024).withIndexIntervalBytes(512);

    LogManager open() {
        manager = LogManager.open(dir, StorageConfig.defaults().withFileDeleteDelayMs(0));
        return manager;
    }

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    static byte[] array(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    static LogEntry raft(long index, long term, EntryType type, String text) {
        return new LogEntry(index, term, type, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Appends 300 batches of varied sizes interleaved with Raft entries; returns the batches by base offset. */
    static List<ByteBuffer> fill(PartitionLog log, int batches) throws Exception {
        Random random = new Random(42);
        List<ByteBuffer> written = new ArrayList<>();
        AppendResult last = null;
        for (int i = 0; i < batches; i++) {
            long term = 1 + i / 100;
            if (i % 7 == 3) {
                log.append(List.of(raft(log.lastIndex() + 1, term, EntryType.NO_OP, "noop-" + i)));
            }
            if (i % 50 == 10) {
                log.append(List.of(raft(log.lastIndex() + 1, term, EntryType.RAFT_CONFIGURATION, "conf-" + i)));
            }
            int records = 1 + random.nextInt(5);
            ByteBuffer b = Batches.batch(log.logEndOffset(), records, 1_000_000 + i * 10L,
                    random.nextInt(3000), random);
            written.add(ByteBuffer.wrap(array(b)));
            last = log.append(List.of(LogEntry.data(log.lastIndex() + 1, term, b)));
        }
        last.durable().get(10, TimeUnit.SECONDS);
        return written;
    }

    static List<ByteBuffer> readAll(PartitionLog log) {
        List<ByteBuffer> out = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            ReadResult r = log.read(next, 64 * 1024, Long.MAX_VALUE, true);
            assertFalse(r.isEmpty(), "read from " + next + " returned nothing before the end");
            out.addAll(Batches.bytes(r));
            next = r.nextOffset(next);
        }
        return out;
    }

    @Test
    void roundTripOfManyBatchesAndRaftEntries() throws Exception {
        PartitionLog log = open().openLog("kafka/t/0", SMALL);
        List<ByteBuffer> written = fill(log, 300);
        List<ByteBuffer> read = readAll(log);
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++) {
            assertArrayEquals(array(written.get(i)), array(read.get(i)), "batch " + i);
            Batches.parse(read.get(i));
        }
        // entry() returns every entry, Raft ones included, in index order with their terms.
        int data = 0;
        int raft = 0;
        for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
            LogEntry e = log.entry(i);
            assertEquals(i, e.index());
            assertEquals(e.term(), log.termAt(i));
            if (e.type() == EntryType.DATA) {
                assertArrayEquals(array(written.get(data++)), array(e.payload()));
            } else {
                assertTrue(new String(array(e.payload()), StandardCharsets.UTF_8).matches("(noop|conf)-\\d+"));
                raft++;
            }
        }
        assertEquals(300, data);
        assertTrue(raft > 40);
        assertNull(log.entry(log.lastIndex() + 1));
        assertNull(log.entry(0));
        assertEquals(3, log.lastTerm());
        assertEquals(log.lastIndex(), log.durableIndex());
        assertEquals(log.logEndOffset(), log.durableEndOffset());
    }

    @Test
    void readsFromTheMiddleOfABatchAndHonoursBounds() throws Exception {
        PartitionLog log = open().openLog("kafka/t/0", SMALL);
        for (int i = 0; i < 10; i++) {
            log.appendBatch(1, Batches.batch(0, 10, 1000 + i * 10L));   // offsets 10i .. 10i+9
        }
        ReadResult r = log.read(15, 1 << 20, Long.MAX_VALUE, true);
        assertEquals(10, r.slices().getFirst().baseOffset(), "starts with the batch holding offset 15");
        assertEquals(9, r.slices().size());
        long oneBatch = r.slices().getFirst().length();

        ReadResult bounded = log.read(15, 1 << 20, 50, true);
        assertEquals(4, bounded.slices().size(), "only batches whose last offset is below 50");
        assertEquals(49, bounded.slices().getLast().lastOffset());

        assertTrue(log.read(15, 1 << 20, 19, true).isEmpty(), "the batch 10..19 is not wholly below 19");

        ReadResult tiny = log.read(0, 1, Long.MAX_VALUE, true);
        assertEquals(1, tiny.slices().size(), "minOneBatch returns one batch even over maxBytes");
        assertTrue(log.read(0, 1, Long.MAX_VALUE, false).isEmpty(), "without minOneBatch nothing fits");

        ReadResult two = log.read(0, (int) (2 * oneBatch + oneBatch / 2), Long.MAX_VALUE, false);
        assertEquals(2, two.slices().size());
        assertEquals(two.totalBytes(), two.slices().get(0).length() + two.slices().get(1).length());

        assertTrue(log.read(100, 1000, Long.MAX_VALUE, true).isEmpty(), "reading at the end is empty");
        OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class,
                () -> log.read(101, 1000, Long.MAX_VALUE, true));
        assertEquals(0, e.logStartOffset());
        assertEquals(100, e.logEndOffset());
    }

    @Test
    void appendBatchStampsOffsetAndLeaderEpochKeepingTheKafkaCrcValid() throws Exception {
        PartitionLog log = open().openLog("kafka/t/0", SMALL);
        log.appendBatch(7, Batches.batch(0, 3, 100));
        AppendResult r = log.appendBatch(7, Batches.batch(0, 2, 200));
        assertEquals(3, r.baseOffset());
        assertEquals(4, r.lastOffset());
        assertEquals(2, r.firstIndex());
        r.durable().get(10, TimeUnit.SECONDS);
        RecordBatch b = Batches.parse(log.read(3, 1000, Long.MAX_VALUE, true).slices().getFirst().toByteBuffer());
        assertEquals(3, b.baseOffset());
        assertEquals(7, b.partitionLeaderEpoch());
    }

    @Test
    void badInputIsRefusedClearlyAndLosesNothing() throws Exception {
        PartitionLog log = open().openLog("kafka/t/0", SMALL);
        log.appendBatch(1, Batches.batch(0, 5, 100)).durable().get(10, TimeUnit.SECONDS);
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> log.append(List.of(LogEntry.data(5, 1, Batches.batch(5, 1, 1)))));
        assertTrue(gap.getMessage().contains("expected 2"), gap.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> log.append(List.of(LogEntry.data(2, 1, Batches.batch(3, 1, 1)))))
                .getMessage().contains("below the log end offset"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> log.append(List.of(raft(2, 0, EntryType.NO_OP, "x"))))
                .getMessage().contains("lower than the previous term"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> log.append(List.of(new LogEntry(2, 1, EntryType.DATA, ByteBuffer.wrap(new byte[70])))))
                .getMessage().contains("not a valid record batch"));
        // A valid entry after an invalid one in the same call: nothing of the call is appended.
        assertThrows(IllegalArgumentException.class, () -> log.append(List.of(
                LogEntry.data(2, 1, Batches.batch(5, 1, 1)), LogEntry.data(4, 1, Batches.batch(6, 1, 1)))));
        assertEquals(1, log.lastIndex());
        assertEquals(5, log.logEndOffset());
        assertEquals(1, readAll(log).size());
    }

    @Test
    void lookupsByTimestampAndTerm() throws Exception {
        PartitionLog log = open().openLog("kafka/t/0", SMALL.withSegmentBytes(64 * 1024));
        // term 1: offsets 0..49, term 3: 50..99, term 4: 100..149; timestamps increase 10 per batch (5 records each).
        for (int i = 0; i < 30; i++) {
            long term = i < 10 ? 1 : i < 20 ? 3 : 4;
            log.appendBatch(term, Batches.batch(0, 5, 10_000 + i * 10L, 1000, new Random(i)));
        }
        log.append(List.of(raft(log.lastIndex() + 1, 4, EntryType.NO_OP, "n"))).durable().get(10, TimeUnit.SECONDS);
        assertTrue(log.segmentCount() > 1);

        assertEquals(new TimestampOffset(0, 10_004), log.offsetForTimestamp(0));
        assertEquals(new TimestampOffset(0, 10_004), log.offsetForTimestamp(10_004));
        assertEquals(new TimestampOffset(5, 10_014), log.offsetForTimestamp(10_005));
        assertEquals(new TimestampOffset(125, 10_254), log.offsetForTimestamp(10_250));
        assertEquals(new TimestampOffset(145, 10_294), log.offsetForTimestamp(10_294));
        assertEquals(TimestampOffset.NONE, log.offsetForTimestamp(10_295));
        assertEquals(new TimestampOffset(145, 10_294), log.maxTimestampOffset());

        assertEquals(50, log.endOffsetForTerm(1));
        assertEquals(50, log.endOffsetForTerm(2), "an unknown term between known ones ends where the next begins");
        assertEquals(100, log.endOffsetForTerm(3));
        assertEquals(150, log.endOffsetForTerm(4));
        assertEquals(150, log.endOffsetForTerm(9));
        assertEquals(-1, log.endOffsetForTerm(0));
        assertEquals(1, log.termAt(1));
        assertEquals(3, log.termAt(11));
        assertEquals(4, log.termAt(31));
    }

    @Test
    void reopenAfterCleanCloseReturnsIdenticalContent() throws Exception {
        open();
        PartitionLog log = manager.openLog("kafka/t/0", SMALL.withSegmentBytes(128 * 1024));
        List<ByteBuffer> written = fill(log, 200);
        long lastIndex = log.lastIndex();
        long leo = log.logEndOffset();
        int segments = log.segmentCount();
        List<LogEntry> entries = new ArrayList<>();
        for (long i = 1; i <= lastIndex; i++) {
            entries.add(log.entry(i));
        }
        TimestampOffset byTime = log.offsetForTimestamp(1_000_500);
        manager.close();

        assertTrue(java.nio.file.Files.exists(dir.resolve("kafka/t/0/clean-shutdown")));
        PartitionLog again = open().openLog("kafka/t/0", SMALL.withSegmentBytes(128 * 1024));
        assertEquals(lastIndex, again.lastIndex());
        assertEquals(leo, again.logEndOffset());
        assertEquals(segments, again.segmentCount());
        assertEquals(byTime, again.offsetForTimestamp(1_000_500));
        List<ByteBuffer> read = readAll(again);
        for (int i = 0; i < written.size(); i++) {
            assertArrayEquals(array(written.get(i)), array(read.get(i)));
            assertInstanceOf(ReadSlice.FileSlice.class, again.read(0, 1, Long.MAX_VALUE, true).slices().getFirst(),
                    "after a reopen nothing is cached: reads are file regions");
        }
        for (LogEntry e : entries) {
            LogEntry r = again.entry(e.index());
            assertEquals(e.term(), r.term());
            assertEquals(e.type(), r.type());
            assertArrayEquals(array(e.payload()), array(r.payload()));
        }
        // And it goes on appending where it left off.
        AppendResult r = again.appendBatch(5, Batches.batch(0, 1, 5));
        assertEquals(lastIndex + 1, r.firstIndex());
        assertEquals(leo, r.baseOffset());
        r.durable().get(10, TimeUnit.SECONDS);
    }

    @Test
    void appendCopiesThePayloadSoTheCallerMayReuseItsBuffer() throws Exception {
        PartitionLog log = open().openLog("kafka/t/0", SMALL);
        ByteBuffer b = Batches.batch(0, 3, 1_000);
        byte[] original = array(b);
        AppendResult r = log.append(List.of(LogEntry.data(1, 1, b)));
        // The network layer reuses a request's buffer once the request is answered.
        while (b.hasRemaining()) {
            b.put((byte) 0x5a);
        }
        r.durable().get(10, TimeUnit.SECONDS);
        assertArrayEquals(original, array(log.entry(1).payload()), "the tail cache holds the log's own copy");
        manager.close();
        assertArrayEquals(original, array(open().openLog("kafka/t/0", SMALL).entry(1).payload()));
    }

    @Test
    void appendHandedOverKeepsTheCallersBuffersAndWritesTheSameFormat() throws Exception {
        LogConfig cfg = SMALL.withSegmentBytes(128 * 1024);
        PartitionLog log = open().openLog("kafka/t/0", cfg);
        Random random = new Random(7);
        List<byte[]> payloads = new ArrayList<>();
        List<ByteBuffer> handed = new ArrayList<>();
        AppendResult last = null;
        for (int i = 0; i < 120; i++) {
            long index = log.lastIndex() + 1;
            List<LogEntry> entries = new ArrayList<>();
            if (i % 9 == 4) {
                entries.add(raft(index++, 1, EntryType.RAFT_CONFIGURATION, "conf-" + i));
            }
            // The least convenient buffer a caller may hand over: a read-only slice in the middle of a larger
            // array (say, a request), its position not 0.
            ByteBuffer b = Batches.batch(log.logEndOffset(), 1 + random.nextInt(4), 2_000 + i, random.nextInt(5000), random);
            byte[] request = new byte[b.remaining() + 100];
            b.get(request, 50, request.length - 100);
            ByteBuffer view = ByteBuffer.wrap(request).position(50).limit(request.length - 50).asReadOnlyBuffer();
            entries.add(LogEntry.data(index, 1, view));
            payloads.add(Arrays.copyOfRange(request, 50, request.length - 50));
            handed.add(ByteBuffer.wrap(request, 50, request.length - 100));
            last = log.appendHandedOver(entries);
        }
        last.durable().get(10, TimeUnit.SECONDS);
        assertTrue(log.segmentCount() > 1, "the entries span segment rolls");
        List<ByteBuffer> cached = readAll(log);
        for (int i = 0; i < payloads.size(); i++) {
            assertArrayEquals(payloads.get(i), array(cached.get(i)));
        }
        // No copy: the tail cache serves the caller's memory itself (which is why the caller must not write it).
        long lastDataIndex = log.lastIndex();
        handed.getLast().put(handed.getLast().position() + 40, (byte) ~handed.getLast().get(handed.getLast().position() + 40));
        assertEquals(handed.getLast().get(handed.getLast().position() + 40), log.entry(lastDataIndex).payload().get(40));
        handed.getLast().put(handed.getLast().position() + 40, payloads.getLast()[40]);
        long lastIndex = log.lastIndex();
        manager.close();

        // The files hold header + payload as before: a reopened log reads every entry back.
        PartitionLog again = open().openLog("kafka/t/0", cfg);
        assertEquals(lastIndex, again.lastIndex());
        List<ByteBuffer> read = readAll(again);
        assertEquals(payloads.size(), read.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertArrayEquals(payloads.get(i), array(read.get(i)));
        }
        assertEquals(EntryType.RAFT_CONFIGURATION, again.entry(5).type());
        assertArrayEquals("conf-4".getBytes(StandardCharsets.UTF_8), array(again.entry(5).payload()));
    }

    @Test
    void tailReadsComeFromTheCacheAndColdReadsFromFileRegions() throws Exception {
        manager = LogManager.open(dir, StorageConfig.defaults().withTailCacheBytes(1 << 20, 64 * 1024));
        PartitionLog log = manager.openLog("kafka/t/0", SMALL);
        List<ByteBuffer> written = fill(log, 200);
        ReadResult head = log.read(log.logEndOffset() - 1, 1 << 20, Long.MAX_VALUE, true);
        assertInstanceOf(ReadSlice.BufferSlice.class, head.slices().getFirst());
        ReadResult cold = log.read(0, 1 << 20, Long.MAX_VALUE, true);
        assertInstanceOf(ReadSlice.FileSlice.class, cold.slices().getFirst());
        // A read spanning both sources returns everything in order.
        List<ByteBuffer> all = readAll(log);
        for (int i = 0; i < written.size(); i++) {
            assertArrayEquals(array(written.get(i)), array(all.get(i)));
        }
    }

    @Test
    void fileSlicesGoToASocketZeroCopy() throws Exception {
        PartitionLog log = open().openLog("kafka/t/0", SMALL);
        List<ByteBuffer> written = fill(log, 50);
        manager.close();
        log = open().openLog("kafka/t/0", SMALL);   // nothing cached: every slice is a file region
        ReadResult r = log.read(0, 1 << 20, Long.MAX_VALUE, true);
        try (var server = java.nio.channels.ServerSocketChannel.open()) {
            server.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            try (var client = java.nio.channels.SocketChannel.open(server.getLocalAddress());
                 var accepted = server.accept()) {
                for (ReadSlice s : r.slices()) {
                    ReadSlice.FileSlice f = assertInstanceOf(ReadSlice.FileSlice.class, s);
                    long sent = 0;
                    while (sent < f.length()) {
                        sent += f.channel().transferTo(f.position() + sent, f.length() - sent, client);
                    }
                }
                client.shutdownOutput();
                ByteBuffer received = ByteBuffer.allocate((int) r.totalBytes());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (received.hasRemaining() && System.nanoTime() < deadline && accepted.read(received) >= 0) {
                    // keep reading
                }
                received.flip();
                for (ByteBuffer w : written) {
                    ByteBuffer got = received.slice(received.position(), w.remaining());
                    assertArrayEquals(array(w), array(got));
                    received.position(received.position() + w.remaining());
                }
                assertFalse(received.hasRemaining());
            }
        }
    }

    @Test
    void bufferedModeWritesTheSameFormat() throws Exception {
        manager = LogManager.open(dir, StorageConfig.defaults().withDirectIo(false));
        assertFalse(manager.directIo());
        List<ByteBuffer> written = fill(manager.openLog("kafka/t/0", SMALL.withSegmentBytes(128 * 1024)), 100);
        manager.close();
        PartitionLog log = open().openLog("kafka/t/0", SMALL.withSegmentBytes(128 * 1024));
        assertTrue(manager.directIo(), "this filesystem takes O_DIRECT");
        List<ByteBuffer> read = readAll(log);
        for (int i = 0; i < written.size(); i++) {
            assertArrayEquals(array(written.get(i)), array(read.get(i)));
        }
        fill(log, 20);
    }

    @Test
    void offsetGapsAreSkippedFromCacheAndFromDisk() throws Exception {
        PartitionLog log = open().openLog("kafka/t/0", SMALL);
        // A follower copying a compacted leader: batches at 0..1, 10..11, 20..21.
        log.append(List.of(LogEntry.data(1, 1, Batches.batch(0, 2, 100)), LogEntry.data(2, 1, Batches.batch(10, 2, 200)),
                LogEntry.data(3, 1, Batches.batch(20, 2, 300)))).durable().get(10, TimeUnit.SECONDS);
        assertEquals(22, log.logEndOffset());
        for (int pass = 0; pass < 2; pass++) {
            assertEquals(10, log.read(5, 1 << 20, Long.MAX_VALUE, true).slices().getFirst().baseOffset());
            assertEquals(20, log.read(12, 1 << 20, Long.MAX_VALUE, true).slices().getFirst().baseOffset());
            assertEquals(11, log.read(11, 1 << 20, Long.MAX_VALUE, true).slices().getFirst().lastOffset());
            assertEquals(3, log.read(0, 1 << 20, Long.MAX_VALUE, true).slices().size());
            assertEquals(new TimestampOffset(10, 201), log.offsetForTimestamp(150));
            manager.close();
            log = open().openLog("kafka/t/0", SMALL);   // second pass: from the files
        }
        assertInstanceOf(ReadSlice.FileSlice.class, log.read(5, 1 << 20, Long.MAX_VALUE, true).slices().getFirst());
    }

    @Test
    void deleteLogClosesItAndRemovesItsFiles() throws Exception {
        PartitionLog log = open().openLog("kafka/gone/0", SMALL);
        fill(log, 20);
        manager.deleteLog("kafka/gone/0");
        assertFalse(java.nio.file.Files.exists(dir.resolve("kafka/gone/0")));
        assertTrue(manager.logs().isEmpty());
        assertEquals(List.of(), manager.discoverLogNames());
        assertThrows(StorageException.class, () -> log.appendBatch(1, Batches.batch(0, 1, 1)));
        PartitionLog fresh = manager.openLog("kafka/gone/0", SMALL);
        assertEquals(0, fresh.lastIndex());
        assertEquals(0, fresh.logEndOffset());
    }

    @Test
    void invalidNamesAreRefused() {
        open();
        assertThrows(IllegalArgumentException.class, () -> manager.openLog("../escape", SMALL));
        assertThrows(IllegalArgumentException.class, () -> manager.openLog("a//b", SMALL));
        assertThrows(IllegalArgumentException.class, () -> manager.openLog("a/../b", SMALL));
        assertEquals(List.of(), manager.discoverLogNames());
        manager.openLog("kafka/x/1", SMALL);
        assertEquals(List.of("kafka/x/1"), manager.discoverLogNames());
    }
}
