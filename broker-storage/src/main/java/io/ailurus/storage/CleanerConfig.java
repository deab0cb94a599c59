package io.ailurus.storage;

import java.util.function.LongSupplier;

/**
 * Settings of a data directory's {@link LogCleaner}, immutable; change one with a wither.
 *
 * @param intervalMs            how long the cleaner sleeps when no log needs compacting (Redpanda's
 *                              {@code log_compaction_interval_ms}, 10 s)
 * @param ioBytesPerSecond      read + write budget of the cleaner thread, bytes per second (Kafka's
 *                              {@code log.cleaner.io.max.bytes.per.second}; Long.MAX_VALUE = unthrottled)
 * @param dedupeBufferBytes     memory of the key -> offset map of one pass (Kafka's {@code log.cleaner.dedupe.buffer.size};
 *                              32 MiB ≈ 1.2 million keys). A pass that fills it compacts what it mapped; the rest waits
 *                              for the next pass
 * @param compression           codecs the cleaner can read and rewrite ({@link RecordsCompression#BUILT_IN}: none, gzip)
 * @param clock                 wall clock in ms (compaction lags, delete horizons; tests inject one)
 */
public record CleanerConfig(long intervalMs, long ioBytesPerSecond, long dedupeBufferBytes,
                            RecordsCompression compression, LongSupplier clock) {

    public CleanerConfig {
        if (intervalMs < 1) {
            throw new IllegalArgumentException("invalid cleaner config: intervalMs must be >= 1, was " + intervalMs);
        }
        if (ioBytesPerSecond < 1) {
            throw new IllegalArgumentException("invalid cleaner config: ioBytesPerSecond must be >= 1, was " + ioBytesPerSecond);
        }
        if (dedupeBufferBytes < 1024 * OffsetMap.BYTES_PER_ENTRY) {
            throw new IllegalArgumentException("invalid cleaner config: dedupeBufferBytes must be >= "
                    + 1024 * OffsetMap.BYTES_PER_ENTRY + ", was " + dedupeBufferBytes);
        }
        if (compression == null || clock == null) {
            throw new IllegalArgumentException("invalid cleaner config: compression and clock must not be null");
        }
    }

    public static CleanerConfig defaults() {
        return new CleanerConfig(10_000, Long.MAX_VALUE, 32L << 20, RecordsCompression.BUILT_IN, System::currentTimeMillis);
    }

    public CleanerConfig withIntervalMs(long v) {
        return new CleanerConfig(v, ioBytesPerSecond, dedupeBufferBytes, compression, clock);
    }

    public CleanerConfig withIoBytesPerSecond(long v) {
        return new CleanerConfig(intervalMs, v, dedupeBufferBytes, compression, clock);
    }

    public CleanerConfig withDedupeBufferBytes(long v) {
        return new CleanerConfig(intervalMs, ioBytesPerSecond, v, compression, clock);
    }

    public CleanerConfig withCompression(RecordsCompression v) {
        return new CleanerConfig(intervalMs, ioBytesPerSecond, dedupeBufferBytes, v, clock);
    }

    public CleanerConfig withClock(LongSupplier v) {
        return new CleanerConfig(intervalMs, ioBytesPerSecond, dedupeBufferBytes, compression, v);
    }
}
