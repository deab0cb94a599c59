package io.ailurus.bench.storage;

import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.ReadResult;
import io.ailurus.storage.ReadSlice;
import io.ailurus.storage.StorageConfig;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The append case on a real LogManager in a real directory: what it counts is what the logs hold. */
class AppendCaseTest {
    private static final int RECORDS = 4;
    private static final int VALUE_BYTES = 100;

    @TempDir
    Path dir;

    @Test
    void everyBatchItCountsIsDurableAndReadableAsTheTemplate() throws Exception {
        RecordBatchTemplate template = new RecordBatchTemplate(RECORDS, VALUE_BYTES);
        try (LogManager m = LogManager.open(dir, StorageConfig.defaults())) {
            List<PartitionLog> logs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                logs.add(m.openLog("bench/p-" + i, LogConfig.defaults()));
            }
            AppendCaseResult r = new AppendCase(m, logs, template, 4, 2).run(Duration.ZERO, Duration.ofMillis(500));

            assertTrue(r.batches() > 0, "no batch became durable in the window");
            assertEquals(r.batches(), r.latencyNanos().getTotalCount(), 3 * 4,
                    "latencies recorded = durable batches counted (up to the batches in flight at the edges)");
            assertTrue(r.latencyNanos().getMinValue() > 0);
            assertTrue(r.rounds() > 0 && r.fsyncsPerRound() >= 1, "the flusher's stats were not taken");

            long total = 0;
            ByteBuffer expected = template.copy();
            for (PartitionLog l : logs) {
                // The case drained: everything appended is durable.
                assertEquals(l.logEndOffset(), l.durableEndOffset());
                assertEquals(0, l.logEndOffset() % RECORDS);
                long batches = 0;
                long offset = 0;
                while (offset < l.logEndOffset()) {
                    ReadResult rr = l.read(offset, 1 << 20, Long.MAX_VALUE, true);
                    for (ReadSlice s : rr.slices()) {
                        RecordBatch b = MemoryRecords.readableRecords(s.toByteBuffer()).batches().iterator().next();
                        b.ensureValid();
                        assertEquals(offset, b.baseOffset());
                        assertEquals(expected.remaining(), s.length());
                        int n = 0;
                        for (Record rec : b) {
                            assertEquals(VALUE_BYTES, rec.valueSize());
                            n++;
                        }
                        assertEquals(RECORDS, n);
                        offset = b.lastOffset() + 1;
                        batches++;
                    }
                }
                assertEquals(l.logEndOffset() / RECORDS, batches);
                total += batches;
            }
            assertTrue(total >= r.batches(), total + " batches in the logs, " + r.batches() + " counted in the window");
        }
    }

    @Test
    void aFixedRateCaseSendsItsScheduleAndCountsWhatBecameDurable() throws Exception {
        RecordBatchTemplate template = new RecordBatchTemplate(RECORDS, VALUE_BYTES);
        // 3 partitions sharing 100 batches/s: far below what the log takes, so a closed loop would send thousands.
        double mibps = 100.0 * template.sizeInBytes() / (1 << 20);
        try (LogManager m = LogManager.open(dir, StorageConfig.defaults())) {
            List<PartitionLog> logs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                logs.add(m.openLog("bench/p-" + i, LogConfig.defaults()));
            }
            long t0 = System.nanoTime();
            AppendCaseResult r = AppendCase.fixedRate(m, logs, template, 2, mibps, "test")
                    .run(Duration.ofMillis(200), Duration.ofMillis(800));
            double elapsedSeconds = (System.nanoTime() - t0) / 1e9;

            assertTrue(r.fixedRate());
            assertEquals(mibps, r.targetMiBps(), 1e-9);
            assertEquals("test", r.rateLabel());
            assertEquals(r.batches(), r.latencyNanos().getTotalCount());
            assertTrue(r.batches() > 0, "no batch became durable in the window");
            long sent = 0;
            for (PartitionLog l : logs) {
                assertEquals(l.logEndOffset(), l.durableEndOffset(), "the case drained");
                sent += l.logEndOffset() / RECORDS;
            }
            // The schedule, not the log's speed, sets how many batches went out (one each due at the start).
            assertTrue(sent <= Math.ceil(elapsedSeconds * 100) + 3, sent + " batches in " + elapsedSeconds + " s");
        }
    }

    @Test
    void aFailingAppendStopsTheCaseWithItsCause() throws Exception {
        RecordBatchTemplate template = new RecordBatchTemplate(RECORDS, VALUE_BYTES);
        try (LogManager m = LogManager.open(dir, StorageConfig.defaults())) {
            PartitionLog l = m.openLog("bench/closed", LogConfig.defaults());
            l.close();
            AppendCase c = new AppendCase(m, List.of(l), template, 2, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> c.run(Duration.ZERO, Duration.ofSeconds(30)));
            assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        }
    }
}
