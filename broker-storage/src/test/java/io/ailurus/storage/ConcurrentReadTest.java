package io.ailurus.storage;

import io.ailurus.storage.format.BatchHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.ailurus.storage.PartitionLogTest.array;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers on other threads while one writer appends, rolls segments and the tail cache evicts: every batch a reader
 * gets is complete and is exactly what was appended at that offset.
 */
class ConcurrentReadTest {
    @TempDir
    Path dir;

    /** The batch appended at {@code baseOffset}: its content is a function of the offset, so readers can check it. */
    static ByteBuffer expected(long baseOffset) {
        Random r = new Random(baseOffset);
        ByteBuffer b = Batches.batch(baseOffset, 1 + r.nextInt(3), baseOffset, r.nextInt(2500), r);
        BatchHeader.stamp(b, baseOffset, 1);
        return b;
    }

    @Test
    void readersSeeOnlyCompleteCorrectBatches() throws Exception {
        StorageConfig sc = StorageConfig.defaults().withTailCacheBytes(256 * 1024, 32 * 1024).withFileDeleteDelayMs(0);
        LogConfig cfg = LogConfig.defaults().withSegmentBytes(128 * 1024).withPreallocateBytes(64 * 1024)
                .withIndexIntervalBytes(2048);
        try (LogManager manager = LogManager.open(dir, sc)) {
            PartitionLog log = manager.openLog("kafka/t/0", cfg);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong batchesRead = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Future<?> writer = pool.submit(() -> {
                    Random random = new Random(1);
                    CompletableFuture<Void> last = null;
                    for (int i = 0; i < 2500; i++) {
                        if (random.nextInt(10) == 0) {
                            log.append(List.of(new LogEntry(log.lastIndex() + 1, 1, EntryType.NO_OP, ByteBuffer.allocate(10))));
                        }
                        last = log.appendBatch(1, expected(log.logEndOffset())).durable();
                    }
                    last.get(30, TimeUnit.SECONDS);
                    writing.set(false);
                    return null;
                });
                List<Future<?>> readers = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    int seed = t;
                    readers.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while ((writing.get() || batchesRead.get() < 1000) && System.nanoTime() < deadline) {
                            long leo = log.logEndOffset();
                            long from = leo == 0 ? 0 : (seed == 0 ? Math.max(0, leo - 5) : (long) (random.nextDouble() * leo));
                            long bound = seed == 2 ? log.durableEndOffset() : Long.MAX_VALUE;
                            ReadResult r = log.read(from, 32 * 1024, bound, true);
                            long next = -1;
                            for (ReadSlice s : r.slices()) {
                                ByteBuffer got = s.toByteBuffer();
                                assertTrue(s.lastOffset() < bound);
                                if (next >= 0) {
                                    assertEquals(next, s.baseOffset(), "batches are contiguous");
                                }
                                assertArrayEquals(array(expected(s.baseOffset())), array(got), "batch at " + s.baseOffset());
                                next = s.lastOffset() + 1;
                                batchesRead.incrementAndGet();
                            }
                            long li = log.lastIndex();
                            long idx = 1 + (long) (random.nextDouble() * li);
                            LogEntry e = log.entry(idx);
                            if (e != null && e.type() == EntryType.DATA) {
                                assertArrayEquals(array(expected(e.payload().getLong(e.payload().position()))), array(e.payload()));
                            }
                        }
                        return null;
                    }));
                }
                writer.get(60, TimeUnit.SECONDS);
                for (Future<?> f : readers) {
                    f.get(90, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            }
            assertTrue(log.segmentCount() > 10, "segments rolled while reading: " + log.segmentCount());
            assertTrue(batchesRead.get() >= 1000, "reads done: " + batchesRead.get());
        }
    }
}
