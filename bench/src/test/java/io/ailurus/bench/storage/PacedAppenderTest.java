package io.ailurus.bench.storage;

import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.StorageConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixed-rate issuer on real logs in a real directory. */
class PacedAppenderTest {
    private static final RecordBatchTemplate TEMPLATE = new RecordBatchTemplate(4, 100);

    @TempDir
    Path dir;

    /** Collects what the appender reports; stops it on request. */
    private static final class Recording implements AppendSink {
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        public boolean stopping() {
            return stop.get() || failure.get() != null;
        }

        @Override
        public void durable(long nanos) {
            latencies.add(nanos);
        }

        @Override
        public void fail(Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    @Test
    void aLateIssuerMeasuresFromTheIntendedSendTime() throws Exception {
        try (LogManager m = LogManager.open(dir, StorageConfig.defaults())) {
            PartitionLog log = m.openLog("bench/p-0", LogConfig.defaults());
            // The schedule began 300 ms ago: the issuer starts that late, so the batches it owes went out ~300 ms
            // after they were meant to; a producer's records would have waited that long.
            long lateNanos = Duration.ofMillis(300).toNanos();
            FixedRateSchedule s = new FixedRateSchedule(System.nanoTime() - lateNanos, 1, 100_000_000); // 10/s
            Recording sink = new Recording();
            Thread t = Thread.ofPlatform().start(new PacedAppender(
                    List.of(new PartitionSlot(log, TEMPLATE.copy())), new int[]{0}, s, sink));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sink.latencies.size() < 3 && System.nanoTime() < deadline && sink.failure.get() == null) {
                Thread.sleep(5);
            }
            sink.stop.set(true);
            t.join(Duration.ofSeconds(30));
            assertNull(sink.failure.get());
            List<Long> l = new ArrayList<>(sink.latencies);
            assertTrue(l.size() >= 3, "3 batches owed at once must all become durable: " + l);
            // Batch 0 was due 300 ms before the issuer ran, batch 1 200 ms, batch 2 100 ms.
            assertTrue(l.stream().anyMatch(n -> n >= lateNanos), "no latency counts the 300 ms lag: " + l);
            assertTrue(l.stream().filter(n -> n >= Duration.ofMillis(100).toNanos()).count() >= 3,
                    "each overdue batch carries its own lag: " + l);
        }
    }

    @Test
    void sendsOnScheduleNotAsFastAsTheLogTakesThem() throws Exception {
        try (LogManager m = LogManager.open(dir, StorageConfig.defaults())) {
            List<PartitionSlot> slots = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                slots.add(new PartitionSlot(m.openLog("bench/p-" + i, LogConfig.defaults()), TEMPLATE.copy()));
            }
            long start = System.nanoTime();
            FixedRateSchedule s = new FixedRateSchedule(start, 2, 50_000_000); // each partition: one per 50 ms
            Recording sink = new Recording();
            Thread t = Thread.ofPlatform().start(new PacedAppender(slots, new int[]{0, 1}, s, sink));
            Thread.sleep(400);
            sink.stop.set(true);
            t.join(Duration.ofSeconds(30));
            long elapsed = System.nanoTime() - start;
            assertNull(sink.failure.get());
            for (int i = 0; i < 2; i++) {
                long sent = slots.get(i).log.logEndOffset() / TEMPLATE.records();
                // Partition i's batch k is due at start + (k + i/2) * 50 ms: never sent before that.
                long allowed = (long) Math.floor((elapsed / 50e6) - i / 2.0) + 1;
                assertTrue(sent >= 1 && sent <= allowed, "partition " + i + " sent " + sent + " batches, schedule"
                        + " allows " + allowed + " in " + elapsed / 1_000_000 + " ms");
            }
        }
    }

    @Test
    void aFailingAppendIsReported() throws Exception {
        try (LogManager m = LogManager.open(dir, StorageConfig.defaults())) {
            PartitionLog log = m.openLog("bench/closed", LogConfig.defaults());
            log.close();
            Recording sink = new Recording();
            new PacedAppender(List.of(new PartitionSlot(log, TEMPLATE.copy())), new int[]{0},
                    new FixedRateSchedule(System.nanoTime(), 1, 1_000_000), sink).run();
            assertTrue(sink.failure.get().getMessage().contains("is closed"), String.valueOf(sink.failure.get()));
            assertEquals(0, sink.latencies.size());
        }
    }
}
