package io.ailurus.storage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.ailurus.storage.PartitionLogTest.array;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real full filesystem (a 32 MiB ext4 image mounted on a loop device) and a read-only one: clear errors, nothing
 * acknowledged lost, and the log usable again after space is freed and it is reopened.
 */
class FullDiskTest {
    static Path root;
    static Path small;
    static Path readOnly;
    static boolean smallMounted;
    static boolean readOnlyMounted;

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed: " + out);
    }

    @BeforeAll
    static void mount() throws Exception {
        assumeTrue(isRoot(), "mounting a small filesystem needs root");
        root = Files.createTempDirectory("ailurus-fulldisk");
        Path image = root.resolve("fs.img");
        small = Files.createDirectory(root.resolve("small"));
        readOnly = Files.createDirectory(root.resolve("ro"));
        run("truncate", "-s", "32M", image.toString());
        run("mkfs.ext4", "-q", "-F", image.toString());
        run("mount", "-o", "loop", image.toString(), small.toString());
        smallMounted = true;
        run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", readOnly.toString());
        readOnlyMounted = true;
    }

    @AfterAll
    static void unmount() throws Exception {
        if (smallMounted) {
            run("umount", small.toString());
        }
        if (readOnlyMounted) {
            run("umount", readOnly.toString());
        }
        if (root != null) {
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aFullDiskFailsAppendsClearlyAndLosesNothingAcknowledged() throws Exception {
        Path data = small.resolve("data");
        LogConfig cfg = LogConfig.defaults().withSegmentBytes(4 << 20).withPreallocateBytes(1 << 20);
        List<byte[]> acked = new ArrayList<>();
        Random random = new Random(3);
        try (LogManager manager = LogManager.open(data, StorageConfig.defaults().withFileDeleteDelayMs(0))) {
            assertTrue(manager.directIo(), "ext4 takes O_DIRECT");
            // Something to delete later to free space.
            PartitionLog filler = manager.openLog("kafka/filler/0", cfg);
            for (int i = 0; i < 80; i++) {
                filler.appendBatch(1, Batches.batch(0, 1, i, 60_000, random)).durable().get(10, TimeUnit.SECONDS);
            }
            PartitionLog log = manager.openLog("kafka/victim/0", cfg);
            StorageException failure = null;
            for (int i = 0; i < 2000 && failure == null; i++) {
                ByteBuffer b = Batches.batch(0, 1, i, 60_000, random);
                AppendResult r = log.appendBatch(1, b);
                try {
                    r.durable().get(10, TimeUnit.SECONDS);
                    acked.add(array(b));
                } catch (ExecutionException e) {
                    failure = assertInstanceOf(StorageException.class, e.getCause());
                }
            }
            assertNotNull(failure, "32 MiB never filled up");
            assertTrue(failure.getMessage().contains("disk is full"), failure.getMessage());
            assertTrue(failure.getMessage().contains("reopen"), failure.getMessage());
            assertTrue(acked.size() > 50, "only " + acked.size() + " appends fit");
            // Later appends fail at once, saying why.
            StorageException again = assertThrows(StorageException.class,
                    () -> log.appendBatch(1, Batches.batch(0, 1, 1)));
            assertTrue(again.getMessage().contains("earlier write failure"), again.getMessage());
            assertEquals(failure, log.failure());
            // What was acknowledged reads back intact.
            for (int i = 0; i < acked.size(); i++) {
                assertArrayEquals(acked.get(i), array(log.read(i, 1, Long.MAX_VALUE, true).slices().getFirst().toByteBuffer()));
            }
            // Free space.
            manager.deleteLog("kafka/filler/0");
        }
        // Reopened, the log holds everything acknowledged (and nothing invalid) and appends again.
        try (LogManager manager = LogManager.open(data, StorageConfig.defaults())) {
            PartitionLog log = manager.openLog("kafka/victim/0", cfg);
            assertTrue(log.logEndOffset() >= acked.size());
            for (int i = 0; i < acked.size(); i++) {
                assertArrayEquals(acked.get(i), array(log.entry(i + 1).payload()));
            }
            for (long i = 1; i <= log.lastIndex(); i++) {
                Batches.parse(log.entry(i).payload());
            }
            log.appendBatch(1, Batches.batch(0, 1, 1, 1000, random)).durable().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnwritableDirectoryIsRefusedAtOpen() throws Exception {
        StorageException e = assertThrows(StorageException.class,
                () -> LogManager.open(readOnly, StorageConfig.defaults()));
        assertTrue(e.getMessage().contains("not writable") && e.getMessage().contains(readOnly.toString()), e.getMessage());
        StorageException sub = assertThrows(StorageException.class,
                () -> LogManager.open(readOnly.resolve("data"), StorageConfig.defaults()));
        assertTrue(sub.getMessage().contains("cannot create data directory"), sub.getMessage());
        Path file = Files.createFile(root.resolve("plain-file"));
        StorageException notDir = assertThrows(StorageException.class, () -> LogManager.open(file, StorageConfig.defaults()));
        assertTrue(notDir.getMessage().contains(file.toString()), notDir.getMessage());
    }

    @Test
    void aDirectoryInUseIsRefused() {
        Path data = small.resolve("locked");
        try (LogManager first = LogManager.open(data, StorageConfig.defaults())) {
            StorageException e = assertThrows(StorageException.class, () -> LogManager.open(data, StorageConfig.defaults()));
            assertTrue(e.getMessage().contains("lock"), e.getMessage());
            assertNotNull(first.dataDir());
        }
        // Released on close: the directory opens again.
        LogManager.open(data, StorageConfig.defaults()).close();
    }
}
