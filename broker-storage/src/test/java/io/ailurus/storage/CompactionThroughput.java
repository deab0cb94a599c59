package io.ailurus.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Measures one compaction pass (not a test; run by hand): fills a log with {@code records} updates to {@code keys}
 * keys in batches of 10 records (100-byte values, 8 MiB segments), then times {@link LogCleaner#clean}.
 * <pre>java -cp target/test-classes:target/classes:DEPS io.ailurus.storage.CompactionThroughput [records] [keys] [dir]</pre>
 */
public final class CompactionThroughput {
    private CompactionThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("compaction-bench");
        Random random = new Random(42);
        try (LogManager manager = LogManager.open(dir, StorageConfig.defaults().withFileDeleteDelayMs(0))) {
            PartitionLog log = manager.openLog("kafka/bench/0", LogConfig.defaults().withSegmentBytes(8 << 20)
                    .withCompaction(CompactionConfig.compacted()));
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            byte[] value = new byte[100];
            for (int i = 0; i < records; i += 10) {
                SimpleRecord[] batch = new SimpleRecord[10];
                for (int j = 0; j < 10; j++) {
                    random.nextBytes(value);
                    batch[j] = new SimpleRecord(System.currentTimeMillis(),
                            ("key-" + random.nextInt(keys)).getBytes(StandardCharsets.UTF_8), value.clone());
                }
                pending.add(log.appendBatch(1, MemoryRecords.withRecords(0L, Compression.NONE, batch).buffer()).durable());
                if (pending.size() >= 256) {
                    pending.forEach(CompletableFuture::join);
                    pending.clear();
                }
            }
            pending.forEach(CompletableFuture::join);
            long filled = System.nanoTime() - t0;
            long before = log.sizeBytes();
            LogCleaner cleaner = LogCleaner.create(manager, CleanerConfig.defaults());
            long c0 = System.nanoTime();
            LogCleaner.PassResult r = cleaner.clean(log);
            long took = System.nanoTime() - c0;
            CleanerStats s = cleaner.stats();
            System.out.printf("filled %d records (%d keys) = %.1f MiB in %d segments in %.2f s%n", records, keys,
                    before / 1048576.0, log.segmentCount(), filled / 1e9);
            System.out.printf("pass: %d segments rewritten, %d records removed, %.1f -> %.1f MiB, %.2f s; read %.1f MiB"
                            + " (%.0f MiB/s), wrote %.1f MiB (%.0f MiB/s)%n",
                    r.segmentsRewritten(), r.recordsRemoved(), r.bytesBefore() / 1048576.0, r.bytesAfter() / 1048576.0,
                    took / 1e9, s.bytesRead() / 1048576.0, s.bytesRead() / 1048576.0 / (took / 1e9),
                    s.bytesWritten() / 1048576.0, s.bytesWritten() / 1048576.0 / (took / 1e9));
            long c1 = System.nanoTime();
            LogCleaner.PassResult again = cleaner.clean(log);
            System.out.printf("second pass (nothing dirty but the active segment): %d rewritten in %.2f s%n",
                    again.segmentsRewritten(), (System.nanoTime() - c1) / 1e9);
        }
    }
}
