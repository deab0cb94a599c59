package io.ailurus.storage;

/**
 * Per-log settings, immutable; change one with a wither ({@code LogConfig.defaults().withSegmentBytes(..)}).
 * Defaults follow Kafka's topic defaults where Kafka has one.
 *
 * @param segmentBytes       roll to a new segment before one would exceed this size (Kafka {@code segment.bytes}, 1 GiB)
 * @param segmentMs          roll when the active segment is older than this (Kafka {@code segment.ms}, 7 days)
 * @param retentionMs        delete closed segments whose newest batch is older than this; -1 keeps forever (7 days)
 * @param retentionBytes     delete the oldest closed segments while the log is larger than this; -1 = no limit
 * @param indexIntervalBytes bytes between two sparse index entries (Kafka {@code index.interval.bytes}, 4096)
 * @param preallocateBytes   largest zero-filled step the segment file is extended by ahead of the writes (32 MiB)
 * @param maxEntryBytes      the largest entry payload accepted (16 MiB); larger appends are refused
 * @param compaction         whether and how the {@link LogCleaner} compacts the log ({@link CompactionConfig#DISABLED})
 */
public record LogConfig(int segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
                        int indexIntervalBytes, int preallocateBytes, int maxEntryBytes, CompactionConfig compaction) {

    public static final int MIN_SEGMENT_BYTES = 64 * 1024;

    /** A log that is not compacted. */
    public LogConfig(int segmentBytes, long segmentMs, long retentionMs, long retentionBytes,
                     int indexIntervalBytes, int preallocateBytes, int maxEntryBytes) {
        this(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, preallocateBytes, maxEntryBytes,
                CompactionConfig.DISABLED);
    }

    public LogConfig {
        require(compaction != null, "compaction must not be null (use CompactionConfig.DISABLED)");
        require(segmentBytes >= MIN_SEGMENT_BYTES, "segmentBytes must be >= " + MIN_SEGMENT_BYTES + ", was " + segmentBytes);
        require(segmentMs > 0, "segmentMs must be > 0, was " + segmentMs);
        require(retentionMs == -1 || retentionMs >= 0, "retentionMs must be -1 (infinite) or >= 0, was " + retentionMs);
        require(retentionBytes == -1 || retentionBytes >= 0, "retentionBytes must be -1 (infinite) or >= 0, was " + retentionBytes);
        require(indexIntervalBytes >= 0, "indexIntervalBytes must be >= 0, was " + indexIntervalBytes);
        require(preallocateBytes >= 4096 && preallocateBytes % 4096 == 0,
                "preallocateBytes must be a multiple of 4096 and >= 4096, was " + preallocateBytes);
        require(maxEntryBytes > 0 && maxEntryBytes <= segmentBytes - 64,
                "maxEntryBytes must be > 0 and fit in a segment (segmentBytes - 64), was " + maxEntryBytes);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid log config: " + message);
        }
    }

    public static LogConfig defaults() {
        return new LogConfig(1 << 30, 7L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, -1, 4096, 32 << 20, 16 << 20, CompactionConfig.DISABLED);
    }

    public LogConfig withSegmentBytes(int v) {
        return new LogConfig(v, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, preallocateBytes,
                Math.min(maxEntryBytes, v - 64), compaction);
    }

    public LogConfig withSegmentMs(long v) {
        return new LogConfig(segmentBytes, v, retentionMs, retentionBytes, indexIntervalBytes, preallocateBytes, maxEntryBytes, compaction);
    }

    public LogConfig withRetentionMs(long v) {
        return new LogConfig(segmentBytes, segmentMs, v, retentionBytes, indexIntervalBytes, preallocateBytes, maxEntryBytes, compaction);
    }

    public LogConfig withRetentionBytes(long v) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, v, indexIntervalBytes, preallocateBytes, maxEntryBytes, compaction);
    }

    public LogConfig withIndexIntervalBytes(int v) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, v, preallocateBytes, maxEntryBytes, compaction);
    }

    public LogConfig withPreallocateBytes(int v) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, v, maxEntryBytes, compaction);
    }

    public LogConfig withMaxEntryBytes(int v) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, preallocateBytes, v, compaction);
    }

    public LogConfig withCompaction(CompactionConfig v) {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, indexIntervalBytes, preallocateBytes,
                maxEntryBytes, v);
    }
}
