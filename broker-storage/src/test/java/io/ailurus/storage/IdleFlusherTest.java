package io.ailurus.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An idle data directory costs no flusher threads and no direct buffers: a lane starts, and allocates its staging
 * buffer, at its first append; the zero buffer is one for the whole directory. Before, every directory held 8 threads
 * and 16 MiB of direct memory from the moment it was opened (docs/operations.md, memory at idle).
 */
class IdleFlusherTest {
    @TempDir
    Path dir;

    @Test
    void lanesStartWithTheirFirstAppendAndKeepTheirBuffers() throws Exception {
        StorageConfig sc = StorageConfig.defaults();
        int buffer = sc.stagingBufferBytes();
        try (LogManager manager = LogManager.open(dir, sc)) {
            GroupCommitFlusher flusher = manager.flusher();
            PartitionLog a = manager.openLog("kafka/t/0", LogConfig.defaults().withPreallocateBytes(1 << 20));
            PartitionLog b = manager.openLog("kafka/t/1", LogConfig.defaults().withPreallocateBytes(1 << 20));
            assertEquals(0, flusher.startedLanes(), "lanes started before any append");
            assertEquals(0, flusher.bufferBytes(), "direct buffers held before any append");
            assertEquals(0, flusherThreads(), "flusher threads running before any append");

            a.appendBatch(1, Batches.batch(0, 1, 1)).durable().get(10, TimeUnit.SECONDS);
            assertEquals(1, flusher.startedLanes());
            assertEquals(1, flusherThreads());
            // One staging buffer and the shared zero buffer.
            assertEquals(2L * buffer, flusher.bufferBytes());

            // The same log again: same lane, no new buffer.
            a.appendBatch(1, Batches.batch(1, 1, 2)).durable().get(10, TimeUnit.SECONDS);
            assertEquals(2L * buffer, flusher.bufferBytes());

            // A second log goes to the next lane: its own staging buffer, the zero buffer shared.
            b.appendBatch(1, Batches.batch(0, 1, 3)).durable().get(10, TimeUnit.SECONDS);
            assertEquals(2, flusher.startedLanes());
            assertEquals(2, flusherThreads());
            assertEquals(3L * buffer, flusher.bufferBytes());
            assertEquals(2, a.lastIndex());
            assertEquals(1, b.lastIndex());
        }
        assertEquals(0, flusherThreads(), "flusher threads left after close");
    }

    /** Live flusher threads of this test's directory (their names carry the directory's name). */
    private long flusherThreads() {
        String prefix = "ailurus-flusher-" + dir.getFileName();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().equals(prefix) || t.getName().startsWith(prefix + "-")))
                .count();
    }
}
