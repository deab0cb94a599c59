package io.ailurus.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.ailurus.storage.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flush round zero-fills at most {@link Segment#MIN_ZERO_FILL_SLICE} (or twice its own data) ahead of what it
 * writes: a 32 MiB preallocation step is spread over many rounds instead of stalling the one round that reaches it
 * (and every append waiting on that lane). The file must still run ahead of the data, so most rounds' fdatasyncs
 * change no file size.
 */
class PreallocationSlicesTest {
    @TempDir
    Path dir;

    @Test
    void eachRoundZeroFillsOnlyASliceAndTheFileStillRunsAhead() throws Exception {
        try (LogManager manager = LogManager.open(dir, StorageConfig.defaults())) {
            // The defaults: preallocateBytes 32 MiB, 1 GiB segments. One durable append per round.
            PartitionLog log = manager.openLog("kafka/t/0", LogConfig.defaults());
            Random random = new Random(11);
            long dataEnd = 0;
            long previousSize = 0;
            long largestGrowth = 0;
            long largestLead = 0;
            int appends = 400; // ~6.4 MiB: past the 1, 2 and 4 MiB steps
            for (int i = 0; i < appends; i++) {
                ByteBuffer b = Batches.batch(0, 16, i, 1000, random);
                int entryBytes = b.remaining() + 32;
                log.appendBatch(1, b).durable().get(30, TimeUnit.SECONDS);
                dataEnd += entryBytes;
                long size = Files.size(activeSegmentFile(log));
                long growth = size - previousSize;
                largestGrowth = Math.max(largestGrowth, growth);
                largestLead = Math.max(largestLead, size - dataEnd);
                assertTrue(growth <= Segment.MIN_ZERO_FILL_SLICE + 2L * entryBytes + 2 * 4096,
                        "append " + i + " grew the file by " + growth + " bytes: more than one slice of zeros");
                previousSize = size;
            }
            // Preallocation still happens: the file ran (at some point) more than a 1 MiB step ahead of the data.
            assertTrue(largestLead > Segment.FIRST_PREALLOCATION, "the file never ran ahead of the data by more than"
                    + " one step: " + largestLead + " bytes (largest growth " + largestGrowth + ")");
            assertEquals(appends, readAll(log).size(), "every batch reads back");
        }
    }

    @Test
    void roundsWritingMoreThanHalfASliceZeroFillTwiceTheirDataInWholePages() throws Exception {
        try (LogManager manager = LogManager.open(dir, StorageConfig.defaults())) {
            PartitionLog log = manager.openLog("kafka/t/0", LogConfig.defaults());
            Random random = new Random(12);
            long dataEnd = 0;
            long previousSize = 0;
            long largestLead = 0;
            int appends = 40; // ~6.6 MiB in rounds of ~165 KiB (2 x 165 KiB > the 256 KiB minimum slice)
            for (int i = 0; i < appends; i++) {
                ByteBuffer b = Batches.batch(0, 10, i, 16_500, random);
                int entryBytes = b.remaining() + 32;
                log.appendBatch(1, b).durable().get(30, TimeUnit.SECONDS);
                dataEnd += entryBytes;
                long size = Files.size(activeSegmentFile(log));
                assertEquals(0, size % 4096, "append " + i + ": the file ends mid-page (" + size + " bytes): a zero-fill"
                        + " that is not whole pages fails under O_DIRECT and leaves the data unpreallocated");
                assertTrue(size - previousSize <= 3L * entryBytes + 2 * 4096,
                        "append " + i + " grew the file by " + (size - previousSize) + " bytes");
                largestLead = Math.max(largestLead, size - dataEnd);
                previousSize = size;
            }
            assertTrue(largestLead > Segment.FIRST_PREALLOCATION, "the file never ran a step ahead of the data: "
                    + largestLead + " bytes");
            assertEquals(appends, readAll(log).size(), "every batch reads back");
        }
    }

    private static Path activeSegmentFile(PartitionLog log) throws Exception {
        try (Stream<Path> files = Files.list(log.dir())) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
            return logs.getLast();
        }
    }
}
