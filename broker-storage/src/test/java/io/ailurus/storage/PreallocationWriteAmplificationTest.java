package io.ailurus.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.ailurus.storage.PartitionLogTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Preallocation zero-fills only beyond the data a round writes: bytes about to be written are not zeroed first.
 * Measured with the kernel's count of bytes this process sent to storage ({@code /proc/self/io} write_bytes), which
 * counts direct and buffered writes alike.
 */
class PreallocationWriteAmplificationTest {
    @TempDir
    Path dir;

    @Test
    void smallPreallocationStepsWriteEachDataByteOnce() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/io")), "needs Linux /proc/self/io");
        try (LogManager manager = LogManager.open(dir, StorageConfig.defaults())) {
            // A 4 KiB step: every round crosses the zero-filled area, the case where zeroing the data range first
            // doubled the bytes written.
            PartitionLog log = manager.openLog("kafka/t/0", LogConfig.defaults().withPreallocateBytes(4096));
            Random random = new Random(7);
            List<ByteBuffer> written = new ArrayList<>();
            long dataBytes = 0;
            long before = writeBytes();
            for (int i = 0; i < 64; i++) {
                ByteBuffer b = Batches.batch(0, 4, i, 4000, random);
                dataBytes += b.remaining();
                written.add(b.duplicate());
                log.appendBatch(1, b).durable().get(30, TimeUnit.SECONDS);
            }
            long sent = writeBytes() - before;
            // Each round rewrites its partial last page (<= 4 KiB) and zero-fills <= 4 KiB ahead: at most
            // dataBytes + 64 rounds x 8 KiB (+ slack for checkpoint files); zeroing the data range first doubled it.
            assertTrue(sent <= dataBytes + 64 * 8192 + 64 * 1024,
                    "sent " + sent + " bytes to storage for " + dataBytes + " bytes of entries");
            assertTrue(sent >= dataBytes, "write_bytes did not count the direct writes: " + sent);
            assertEquals(written.size(), readAll(log).size(), "every batch reads back");
        }
    }

    private static long writeBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).trim());
            }
        }
        throw new AssertionError("no write_bytes in /proc/self/io");
    }
}
