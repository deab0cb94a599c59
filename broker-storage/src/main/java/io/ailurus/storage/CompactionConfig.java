package io.ailurus.storage;

/**
 * A log's compaction settings (Kafka's {@code cleanup.policy=compact} and the topic configs that tune it). Part of
 * {@link LogConfig}; {@link #DISABLED} for logs that are only deleted by retention. Immutable.
 *
 * @param enabled                true when the log is compacted (cleanup.policy contains compact)
 * @param minCleanableDirtyRatio clean a log once this share of its cleanable bytes is not yet compacted (0.5)
 * @param minCompactionLagMs     a segment whose newest batch is younger than this is not compacted yet (0)
 * @param maxCompactionLagMs     a log whose oldest uncompacted batch is older than this is compacted whatever its
 *                               dirty ratio (Long.MAX_VALUE = never forced)
 * @param deleteRetentionMs      how long a tombstone (a record with a null value) survives after the pass that first
 *                               compacted it, so that consumers reading behind see the delete (1 day)
 */
public record CompactionConfig(boolean enabled, double minCleanableDirtyRatio, long minCompactionLagMs,
                               long maxCompactionLagMs, long deleteRetentionMs) {

    /** Not compacted. */
    public static final CompactionConfig DISABLED = new CompactionConfig(false, 0.5, 0, Long.MAX_VALUE, 86_400_000L);

    public CompactionConfig {
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new IllegalArgumentException("invalid compaction config: minCleanableDirtyRatio must be in [0, 1], was "
                    + minCleanableDirtyRatio);
        }
        if (minCompactionLagMs < 0 || maxCompactionLagMs < 1 || minCompactionLagMs > maxCompactionLagMs) {
            throw new IllegalArgumentException("invalid compaction config: need 0 <= minCompactionLagMs ("
                    + minCompactionLagMs + ") <= maxCompactionLagMs (" + maxCompactionLagMs + ") and maxCompactionLagMs >= 1");
        }
        if (deleteRetentionMs < 0) {
            throw new IllegalArgumentException("invalid compaction config: deleteRetentionMs must be >= 0, was "
                    + deleteRetentionMs);
        }
    }

    /** Compaction on, with Kafka's defaults (ratio 0.5, no minimum lag, no maximum lag, tombstones kept one day). */
    public static CompactionConfig compacted() {
        return new CompactionConfig(true, 0.5, 0, Long.MAX_VALUE, 86_400_000L);
    }

    public CompactionConfig withMinCleanableDirtyRatio(double v) {
        return new CompactionConfig(enabled, v, minCompactionLagMs, maxCompactionLagMs, deleteRetentionMs);
    }

    public CompactionConfig withMinCompactionLagMs(long v) {
        return new CompactionConfig(enabled, minCleanableDirtyRatio, v, maxCompactionLagMs, deleteRetentionMs);
    }

    public CompactionConfig withMaxCompactionLagMs(long v) {
        return new CompactionConfig(enabled, minCleanableDirtyRatio, minCompactionLagMs, v, deleteRetentionMs);
    }

    public CompactionConfig withDeleteRetentionMs(long v) {
        return new CompactionConfig(enabled, minCleanableDirtyRatio, minCompactionLagMs, maxCompactionLagMs, v);
    }
}
