package io.ailurus.core.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ailurus.storage.LogConfig;
import io.ailurus.storage.LogManager;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.ReadResult;
import io.ailurus.storage.ReadSlice;
import io.ailurus.storage.StorageConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalPartition} hands {@link PartitionLog#appendBatch} the produce request's own bytes (no copy of
 * its own), which the network layer releases and reuses once the request is answered. That is only safe
 * while appendBatch copies the batch before it returns: this pins it, from the tail cache and from disk.
 */
class AppendBatchCopiesTest {
    @TempDir
    Path dir;

    @Test
    void theCallersBufferCanBeOverwrittenOnceAppendBatchReturns() throws Exception {
        ByteBuffer batch = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "the value".getBytes(StandardCharsets.UTF_8))).buffer();
        ByteBuffer request = ByteBuffer.allocateDirect(batch.remaining());
        request.put(batch.duplicate()).flip();
        try (LogManager logs = LogManager.open(dir, StorageConfig.defaults())) {
            PartitionLog log = logs.openLog("t-0", LogConfig.defaults());
            var result = log.appendBatch(1, request.duplicate());
            byte[] expected = new byte[request.remaining()];
            request.duplicate().get(expected); // as stamped by the log (base offset, leader epoch)
            // The network layer reuses the frame's memory for the next request.
            for (int i = 0; i < request.limit(); i++) {
                request.put(i, (byte) 0x5a);
            }
            result.durable().get(30, TimeUnit.SECONDS);
            assertEquals(Arrays.toString(expected), Arrays.toString(read(log)), "read from the tail cache");
        }
        try (LogManager logs = LogManager.open(dir, StorageConfig.defaults().withTailCacheBytes(0, 0))) {
            PartitionLog log = logs.openLog("t-0", LogConfig.defaults());
            byte[] fromDisk = read(log);
            MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(fromDisk));
            records.batches().forEach(b -> b.ensureValid());
            assertEquals("the value", StandardCharsets.UTF_8.decode(
                records.records().iterator().next().value()).toString(), "read back from the segment file");
        }
    }

    private static byte[] read(PartitionLog log) throws Exception {
        ReadResult r = log.read(0, 1 << 20, Long.MAX_VALUE, true);
        assertEquals(1, r.slices().size());
        ByteBuffer out = ByteBuffer.allocate((int) r.totalBytes());
        switch (r.slices().getFirst()) {
            case ReadSlice.BufferSlice b -> out.put(b.buffer().duplicate());
            case ReadSlice.FileSlice f -> {
                while (out.hasRemaining()) {
                    f.channel().read(out, f.position() + out.position());
                }
            }
        }
        return out.array();
    }
}
