package io.ailurus.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 a process whose logs retire and reuse segment files all the time ({@link RecyclingCrashWriter}), 8 times
 * over the same directory: after each recovery every acknowledged entry still in the log is there byte for byte, and
 * every entry the log serves is its own (its payload names this log and this index): nothing left in a reused file by
 * another log, or by the file's earlier segment of the same log, is ever recovered as data.
 */
class RecycledSegmentCrashTest {
    static final int LOGS = 3;
    static final int ROUNDS = 8;

    @TempDir
    Path dir;

    @Test
    void reusedSegmentFilesNeverServeOldEntriesAfterSigkill() throws Exception {
        Random random = new Random();
        List<Map<Long, Long>> acked = new ArrayList<>();
        for (int i = 0; i < LOGS; i++) {
            acked.add(new HashMap<>());
        }
        long maxReused = 0;
        int totalAcked = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Process child = startChild();
            List<String> lines = new ArrayList<>();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> readLines(child, lines));
            long start = System.nanoTime();
            while (!contains(lines, "READY") && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(5);
            }
            assertTrue(contains(lines, "READY"), "child did not start: " + lines);
            Thread.sleep(300 + random.nextInt(700));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
            reader.get(30, TimeUnit.SECONDS);
            synchronized (lines) {
                for (String line : lines) {
                    String[] f = line.split(" ");
                    if (f[0].equals("A")) {
                        acked.get(Integer.parseInt(f[1])).put(Long.parseLong(f[2]), Long.parseLong(f[3]));
                        totalAcked++;
                    } else if (f[0].equals("R")) {
                        maxReused = Math.max(maxReused, Long.parseLong(f[1]));
                    }
                }
            }
            verify(acked);
        }
        assertTrue(totalAcked > ROUNDS * 50, "the children acknowledged only " + totalAcked + " appends");
        assertTrue(maxReused > 0, "no segment file was reused: the test did not exercise reuse");
    }

    private void verify(List<Map<Long, Long>> acked) {
        try (LogManager manager = LogManager.open(dir, RecyclingCrashWriter.storageConfig())) {
            for (int l = 0; l < LOGS; l++) {
                PartitionLog log = manager.openLog("recycle/" + l, RecyclingCrashWriter.CONFIG);
                Map<Long, Long> mine = acked.get(l);
                long maxAcked = mine.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
                assertTrue(log.lastIndex() >= maxAcked, "log " + l + " lost acknowledged entries: last index "
                        + log.lastIndex() + " < " + maxAcked);
                for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
                    LogEntry e = log.entry(i);
                    assertNotNull(e, "log " + l + " entry " + i);
                    ByteBuffer p = e.payload().duplicate();
                    assertEquals(l, p.getInt(p.position()), "log " + l + " entry " + i + " belongs to another log");
                    assertEquals(i, p.getLong(p.position() + 4), "log " + l + " entry " + i + " is an older entry");
                    Long want = mine.get(i);
                    CRC32 crc = new CRC32();
                    crc.update(e.payload().duplicate());
                    if (want != null) {
                        assertEquals(want, crc.getValue(), "log " + l + " entry " + i + " differs from what was acknowledged");
                    } else {
                        // Present but never acknowledged: from now on it counts as durable.
                        mine.put(i, crc.getValue());
                    }
                }
                // Entries below the log start were deleted by retention; above the end nothing may remain acknowledged.
                mine.keySet().removeIf(i -> i < log.firstIndex());
            }
        }
    }

    private Process startChild() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                RecyclingCrashWriter.class.getName(), dir.toString(), Integer.toString(LOGS));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    private static void readLines(Process p, List<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                // A line cut by the kill is not an acknowledgement.
                if (line.equals("READY") || line.matches("A \\d+ \\d+ \\d+") || line.matches("R \\d+")) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            }
        } catch (java.io.IOException e) {
            // the process died
        }
    }

    private static boolean contains(List<String> lines, String s) {
        synchronized (lines) {
            return lines.contains(s);
        }
    }
}
