package io.ailurus.bench.storage;

import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.StorageConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequentialReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryBatchOnceWithinTheBudgetAndSplitsTheBudgetAcrossLogs() throws Exception {
        RecordBatchTemplate template = new RecordBatchTemplate(16, 1024);
        int size = template.sizeInBytes();
        // Small tail cache: most of what is read must come from the segment files.
        StorageConfig cfg = StorageConfig.defaults().withTailCacheBytes(64 << 10, 32 << 10);
        try (LogManager m = LogManager.open(dir, cfg)) {
            PartitionLog a = m.openLog("bench/a", LogConfig.defaults());
            PartitionLog b = m.openLog("bench/b", LogConfig.defaults());
            for (int i = 0; i < 100; i++) {
                a.appendBatch(1, template.copy());
            }
            for (int i = 0; i < 40; i++) {
                b.appendBatch(1, template.copy()).durable().get(30, TimeUnit.SECONDS);
            }
            a.appendBatch(1, template.copy()).durable().get(30, TimeUnit.SECONDS);

            SequentialReader reader = new SequentialReader();
            SequentialReader.Pass all = reader.read(List.of(a, b), Long.MAX_VALUE / 4);
            assertEquals(141, all.batches());
            assertEquals(141L * size, all.bytes());
            assertTrue(all.fileBytes() > all.bytes() / 2, "expected most bytes from files: " + all);

            // 20 batches' worth, half per log: 10 batches from each (the last read may take one more batch).
            SequentialReader.Pass part = reader.read(List.of(a, b), 20L * size);
            assertTrue(part.batches() >= 20 && part.batches() <= 22, "read " + part.batches() + " batches");
        }
    }
}
