package io.ailurus.storage;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The child process of {@link RecycledSegmentCrashTest}: appends to a few logs with 64 KiB segments while retention
 * keeps each log at ~128 KiB, so segment files are retired and reused all the time, and prints
 * {@code A <log> <index> <crc32 of payload>} for each entry whose durability future completed. Every entry is one
 * page, so every log's segments hold entries at the same positions with the same indexes (the worst case for telling
 * a reused file's old entries from new ones); each payload starts with its log number and index, so an entry
 * recovered from another log's old file is recognisable. After each retention pass it prints {@code R <segment files
 * reused so far>}. Runs until killed (bounded by a safety deadline).
 */
public final class RecyclingCrashWriter {
    static final LogConfig CONFIG = LogConfig.defaults().withSegmentBytes(64 * 1024).withPreallocateBytes(64 * 1024)
            .withRetentionMs(-1).withRetentionBytes(128 * 1024);

    static StorageConfig storageConfig() {
        return StorageConfig.defaults().withFileDeleteDelayMs(0);
    }

    /** A NO_OP entry of one page whose payload names its log and index, then bytes derived from both. */
    static LogEntry entry(int log, long index, long term) {
        byte[] b = new byte[4096 - 32];
        ByteBuffer.wrap(b).putInt(log).putLong(index);
        Random r = new Random(index);
        for (int i = 12; i < b.length; i++) {
            b[i] = (byte) r.nextInt();
        }
        return new LogEntry(index, term, EntryType.NO_OP, ByteBuffer.wrap(b));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int logCount = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        LogManager manager = LogManager.open(dir, storageConfig());
        List<PartitionLog> logs = new ArrayList<>();
        for (int i = 0; i < logCount; i++) {
            logs.add(manager.openLog("recycle/" + i, CONFIG));
        }
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        long round = 0;
        while (System.nanoTime() < deadline) {
            // Log l takes l + 1 entries per turn: the logs roll at the same indexes (one page per entry, 16 per
            // segment) but reach them at different times, so a roll often reuses another log's file that held
            // entries with exactly the indexes the new segment will get.
            for (int l = 0; l < logCount; l++) {
                for (int k = 0; k <= l; k++) {
                    PartitionLog log = logs.get(l);
                    long index = log.lastIndex() + 1;
                    LogEntry e = entry(l, index, Math.max(1, log.lastTerm()));
                    AppendResult r = log.append(List.of(e));
                    CRC32 crc = new CRC32();
                    crc.update(e.payload().duplicate());
                    String line = "A " + l + " " + index + " " + crc.getValue() + "\n";
                    r.durable().thenRun(() -> {
                        synchronized (out) {
                            out.print(line);
                            out.flush();
                        }
                    });
                }
            }
            if (++round % 8 == 0) {
                // Retention now rather than on the 5-minute schedule: segments retire (and come back) constantly.
                manager.enforceRetention(System.currentTimeMillis());
                synchronized (out) {
                    out.println("R " + manager.segmentFilesReused());
                    out.flush();
                }
            }
        }
        manager.close();
    }
}
