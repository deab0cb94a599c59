package io.ailurus.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
 * kill -9 a writing process at random moments, 20 times over the same directory: every append whose durability
 * future completed is present byte for byte after recovery, nothing invalid is served, and the log takes appends.
 */
class CrashRecoveryTest {
    static final int LOGS = 3;
    static final int ROUNDS = 20;

    @TempDir
    Path dir;

    @Test
    void acknowledgedAppendsSurviveSigkill() throws Exception {
        Random random = new Random();
        long seed = random.nextLong();
        // acked.get(log).get(index) = CRC32 of the payload acknowledged as durable.
        List<Map<Long, Long>> acked = new ArrayList<>();
        for (int i = 0; i < LOGS; i++) {
            acked.add(new HashMap<>());
        }
        int totalAcked = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Process child = startChild(seed + round);
            List<String> lines = new ArrayList<>();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> readLines(child, lines));
            long start = System.nanoTime();
            // Wait for READY (bounded), then let it write for a random while and kill it mid-flight.
            while (!contains(lines, "READY") && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(5);
            }
            assertTrue(contains(lines, "READY"), "child did not start: " + lines);
            Thread.sleep(50 + random.nextInt(600));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
            reader.get(30, TimeUnit.SECONDS);
            synchronized (lines) {
                for (String line : lines) {
                    if (line.startsWith("A ")) {
                        String[] f = line.split(" ");
                        acked.get(Integer.parseInt(f[1])).put(Long.parseLong(f[2]), Long.parseLong(f[3]));
                        totalAcked++;
                    }
                }
            }
            verifyAndAppend(acked);
        }
        assertTrue(totalAcked > ROUNDS * 10, "the children acknowledged only " + totalAcked + " appends");
    }

    private void verifyAndAppend(List<Map<Long, Long>> acked) throws Exception {
        try (LogManager manager = LogManager.open(dir, StorageConfig.defaults())) {
            for (int l = 0; l < LOGS; l++) {
                PartitionLog log = manager.openLog("crash/" + l, LogConfig.defaults().withSegmentBytes(512 * 1024)
                        .withPreallocateBytes(256 * 1024));
                Map<Long, Long> mine = acked.get(l);
                long maxAcked = mine.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
                assertTrue(log.lastIndex() >= maxAcked, "log " + l + " lost acknowledged entries: last index "
                        + log.lastIndex() + " < " + maxAcked);
                // Every entry present is intact (CRC-checked by entry()), acknowledged ones byte for byte.
                long offsets = log.logStartOffset();
                for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
                    LogEntry e = log.entry(i);
                    assertNotNull(e, "entry " + i);
                    Long want = mine.get(i);
                    if (want != null) {
                        CRC32 crc = new CRC32();
                        crc.update(e.payload().duplicate());
                        assertEquals(want, crc.getValue(), "log " + l + " entry " + i + " differs from what was acknowledged");
                    }
                    if (e.type() == EntryType.DATA) {
                        var batch = Batches.parse(e.payload());
                        assertEquals(offsets, batch.baseOffset());
                        offsets = batch.lastOffset() + 1;
                    }
                }
                assertEquals(offsets, log.logEndOffset());
                // Entries present but never acknowledged may stay; they are from now on treated as durable.
                for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
                    if (!mine.containsKey(i)) {
                        CRC32 crc = new CRC32();
                        crc.update(log.entry(i).payload().duplicate());
                        mine.put(i, crc.getValue());
                    }
                }
                // And the log appends again.
                var b = Batches.batch(0, 1, 1);
                AppendResult r = log.appendBatch(Math.max(1, log.lastTerm()), b);
                r.durable().get(10, TimeUnit.SECONDS);
                CRC32 crc = new CRC32();
                crc.update(b.duplicate());
                mine.put(r.firstIndex(), crc.getValue());
            }
        }
    }

    private Process startChild(long seed) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), Long.toString(seed), Integer.toString(LOGS));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    private static void readLines(Process p, List<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                // A line cut by the kill is not an acknowledgement.
                if (line.equals("READY") || line.matches("A \\d+ \\d+ \\d+")) {
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
