package io.ailurus.storage;

import java.util.function.BooleanSupplier;

/**
 * Keeps one thread's I/O under a byte rate by sleeping: after {@link #acquire}, the bytes done since the start take at
 * least bytes / rate seconds. Coarse (checks every 64 KiB) and cheap.
 */
final class Throttler {
    private final long bytesPerSecond;
    private final BooleanSupplier stop;
    private long windowStart = System.nanoTime();
    private long windowBytes;

    Throttler(long bytesPerSecond, BooleanSupplier stop) {
        this.bytesPerSecond = bytesPerSecond;
        this.stop = stop;
    }

    void acquire(long bytes) {
        if (bytesPerSecond == Long.MAX_VALUE) {
            return;
        }
        windowBytes += bytes;
        if (windowBytes < 64 * 1024) {
            return;
        }
        long dueNanos = (long) (windowBytes * 1e9 / bytesPerSecond);
        long elapsed = System.nanoTime() - windowStart;
        // Sleep in short steps so that close() is never kept waiting long.
        while (elapsed < dueNanos && !stop.getAsBoolean()) {
            long ms = Math.min(100, Math.max(1, (dueNanos - elapsed) / 1_000_000));
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            elapsed = System.nanoTime() - windowStart;
        }
        if (elapsed > 1_000_000_000L) {
            windowStart = System.nanoTime();
            windowBytes = 0;
        }
    }
}
