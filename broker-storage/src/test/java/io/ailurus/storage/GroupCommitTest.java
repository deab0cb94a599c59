package io.ailurus.storage;

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
import java.util.concurrent.atomic.AtomicLong;

import static io.ailurus.storage.PartitionLogTest.array;
import static io.ailurus.storage.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many logs appending at once share flush rounds; back-pressure bounds pending bytes without losing anything. */
class GroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void concurrentAppendsToManyLogsShareFsyncRounds() throws Exception {
        int logs = 24;
        int appendsPerLog = 150;
        // A small pending limit makes appenders block now and then: back-pressure is exercised too.
        StorageConfig sc = StorageConfig.defaults().withMaxPendingBytes(256 * 1024);
        try (LogManager manager = LogManager.open(dir, sc)) {
            AtomicLong fsyncsSeen = new AtomicLong();
            manager.flushStats().setFsyncLatencyListener(nanos -> fsyncsSeen.incrementAndGet());
            AtomicLong appendLatencies = new AtomicLong();
            AtomicLong nonPositiveLatencies = new AtomicLong();
            manager.flushStats().setAppendLatencyListener(nanos -> {
                appendLatencies.incrementAndGet();
                if (nanos <= 0) {
                    nonPositiveLatencies.incrementAndGet();
                }
            });
            List<PartitionLog> all = new ArrayList<>();
            for (int i = 0; i < logs; i++) {
                all.add(manager.openLog("kafka/t/" + i, LogConfig.defaults().withPreallocateBytes(1 << 20)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<ByteBuffer>>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        // Each log has exactly one writer: thread t owns logs t, t+4, t+8, ...
                        Random random = new Random(thread);
                        List<ByteBuffer> written = new ArrayList<>();
                        List<CompletableFuture<Void>> futures = new ArrayList<>();
                        for (int a = 0; a < appendsPerLog; a++) {
                            for (int l = thread; l < logs; l += 4) {
                                ByteBuffer b = Batches.batch(0, 1 + random.nextInt(3), a, random.nextInt(4000), random);
                                futures.add(all.get(l).appendBatch(1, b).durable());
                                written.add(b);
                            }
                        }
                        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
                        return written;
                    }));
                }
                for (Future<List<ByteBuffer>> f : results) {
                    f.get(90, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            long appends = (long) logs * appendsPerLog;
            FlushStats stats = manager.flushStats();
            assertEquals(appends, stats.appendsCompleted());
            assertTrue(stats.flushRounds() < appends, "rounds " + stats.flushRounds() + " for " + appends + " appends");
            assertTrue(stats.fsyncCount() < appends, "fsyncs " + stats.fsyncCount() + " for " + appends + " appends");
            assertEquals(stats.fsyncCount(), fsyncsSeen.get());
            // One append-to-durable sample per append (not per entry, not per fsync), each a real duration.
            assertEquals(appends, appendLatencies.get());
            assertEquals(0, nonPositiveLatencies.get());
            assertEquals(0, stats.pendingBytes());
            long sizes = 0;
            for (PartitionLog l : all) {
                assertEquals(appendsPerLog, l.lastIndex());
                assertEquals(l.lastIndex(), l.durableIndex());
                assertEquals(appendsPerLog, readAll(l).size());
                sizes += l.sizeBytes();
            }
            assertEquals(sizes, stats.bytesWritten());
            assertEquals(sizes, manager.totalBytes());
        }
        // Everything is on disk: reopen and compare with what the first log's reads returned before.
        try (LogManager again = LogManager.open(dir, StorageConfig.defaults())) {
            PartitionLog l = again.openLog("kafka/t/5", LogConfig.defaults());
            assertEquals(appendsPerLog, readAll(l).size());
            for (long i = 1; i <= l.lastIndex(); i++) {
                Batches.parse(l.entry(i).payload());
            }
        }
    }

    @Test
    void aLoneAppendIsDurableAfterOneRound() throws Exception {
        try (LogManager manager = LogManager.open(dir, StorageConfig.defaults())) {
            PartitionLog log = manager.openLog("raft/one", LogConfig.defaults().withPreallocateBytes(1 << 20));
            ByteBuffer b = Batches.batch(0, 1, 1);
            log.appendBatch(1, b).durable().get(10, TimeUnit.SECONDS);
            byte[] bytes = array(b);   // as stamped by appendBatch
            assertEquals(1, manager.flushStats().flushRounds());
            assertEquals(1, manager.flushStats().fsyncCount());
            assertArrayEquals(bytes, array(log.entry(1).payload()));
        }
    }
}
