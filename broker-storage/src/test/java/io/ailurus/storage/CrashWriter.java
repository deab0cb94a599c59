package io.ailurus.storage;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The child process of {@link CrashRecoveryTest}: appends random entries to a few logs as fast as it can and prints
 * {@code A <log> <index> <crc32 of payload>} for each entry whose durability future completed. It never stops by
 * itself (the test kills it with SIGKILL), except after a bounded time as a safety net.
 */
public final class CrashWriter {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int logCount = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        Random random = new Random(seed);
        LogManager manager = LogManager.open(dir, StorageConfig.defaults());
        List<PartitionLog> logs = new ArrayList<>();
        LogConfig cfg = LogConfig.defaults().withSegmentBytes(512 * 1024).withPreallocateBytes(256 * 1024)
                .withIndexIntervalBytes(4096);
        for (int i = 0; i < logCount; i++) {
            logs.add(manager.openLog("crash/" + i, cfg));
        }
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            int l = random.nextInt(logCount);
            PartitionLog log = logs.get(l);
            long term = Math.max(1, log.lastTerm()) + (random.nextInt(50) == 0 ? 1 : 0);
            List<LogEntry> entries = new ArrayList<>();
            int n = 1 + random.nextInt(4);
            long offset = log.logEndOffset();
            for (int k = 0; k < n; k++) {
                long index = log.lastIndex() + 1 + k;
                if (random.nextInt(10) == 0) {
                    byte[] p = new byte[random.nextInt(200)];
                    random.nextBytes(p);
                    entries.add(new LogEntry(index, term, EntryType.NO_OP, ByteBuffer.wrap(p)));
                } else {
                    int records = 1 + random.nextInt(4);
                    int size = random.nextInt(10) == 0 ? 20_000 + random.nextInt(40_000) : random.nextInt(3000);
                    entries.add(LogEntry.data(index, term, Batches.batch(offset, records, System.currentTimeMillis(), size, random)));
                    offset += records;
                }
            }
            AppendResult r = log.append(entries);
            StringBuilder line = new StringBuilder();
            for (LogEntry e : entries) {
                CRC32 crc = new CRC32();
                crc.update(e.payload().duplicate());
                line.append("A ").append(l).append(' ').append(e.index()).append(' ').append(crc.getValue()).append('\n');
            }
            String acked = line.toString();
            r.durable().thenRun(() -> {
                synchronized (out) {
                    out.print(acked);
                    out.flush();
                }
            });
            if (random.nextInt(20) == 0) {
                r.durable().join();
            }
        }
        manager.close();
    }
}
