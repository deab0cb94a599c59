package io.ailurus.storage;

import java.util.function.LongSupplier;

/**
 * Per-data-directory settings of a {@link LogManager}, immutable; change one with a wither.
 *
 * @param flushDebounceMicros      how long a flush round waits after the first dirty log before writing, to gather
 *                                 more appends. 0 (default): no wait; appends arriving during a round's fsync form
 *                                 the next round, which batches naturally under load and adds no latency when idle
 * @param maxPendingBytes          appended-but-not-yet-written bytes allowed per data directory before appends
 *                                 block (back-pressure; 64 MiB)
 * @param appendBlockTimeoutMs     how long a blocked append waits for the flusher before failing (30 s)
 * @param tailCacheBytes           memory for recently appended entries kept for tail reads, all logs together (64 MiB)
 * @param tailCacheBytesPerLog     the same, per log (1 MiB)
 * @param stagingBufferBytes       size of the flusher's 4 KiB-aligned direct staging buffer (1 MiB)
 * @param fsyncParallelism         flush lanes (8): independent flusher threads, each with its own staging buffers,
 *                                 writing and fdatasyncing the logs assigned to it (round-robin at a log's first
 *                                 append), so that up to this many writes or fdatasyncs are in flight; 1 = one
 *                                 flusher thread for the directory
 * @param retentionCheckIntervalMs how often the retention pass runs (Kafka's 5 minutes)
 * @param fileDeleteDelayMs        how long a deleted segment's file stays open for in-flight zero-copy reads (60 s)
 * @param directIo                 write segments with O_DIRECT when the filesystem allows it (true)
 * @param clock                    wall clock in ms, for segment age (tests inject one)
 * @param segmentPoolBytes         segment files retired by retention kept for reuse as new segments, at most this many
 *                                 bytes per data directory (2 GiB; 0 = delete them at once). A reused file is already
 *                                 allocated and written, so appends into it write each byte once (a fresh segment is
 *                                 zero-filled ahead first). The pool holds this much disk beyond retention, and takes
 *                                 nothing while the filesystem has less than this free
 */
public record StorageConfig(long flushDebounceMicros, long maxPendingBytes, long appendBlockTimeoutMs,
                            long tailCacheBytes, long tailCacheBytesPerLog, int stagingBufferBytes,
                            int fsyncParallelism, long retentionCheckIntervalMs, long fileDeleteDelayMs, boolean directIo,
                            LongSupplier clock, long segmentPoolBytes) {

    public StorageConfig {
        require(flushDebounceMicros >= 0, "flushDebounceMicros must be >= 0");
        require(maxPendingBytes > 0, "maxPendingBytes must be > 0");
        require(appendBlockTimeoutMs > 0, "appendBlockTimeoutMs must be > 0");
        require(tailCacheBytes >= 0 && tailCacheBytesPerLog >= 0, "tail cache sizes must be >= 0");
        require(stagingBufferBytes >= 65536 && stagingBufferBytes % 4096 == 0,
                "stagingBufferBytes must be a multiple of 4096 and >= 65536");
        require(fsyncParallelism >= 1 && fsyncParallelism <= 64, "fsyncParallelism must be 1..64");
        require(retentionCheckIntervalMs > 0, "retentionCheckIntervalMs must be > 0");
        require(fileDeleteDelayMs >= 0, "fileDeleteDelayMs must be >= 0");
        require(clock != null, "clock must not be null");
        require(segmentPoolBytes >= 0, "segmentPoolBytes must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid storage config: " + message);
        }
    }

    public static StorageConfig defaults() {
        return new StorageConfig(0, 64L << 20, 30_000, 64L << 20, 1L << 20, 1 << 20, 8, 300_000, 60_000, true,
                System::currentTimeMillis, 2L << 30);
    }

    public StorageConfig withFlushDebounceMicros(long v) {
        return new StorageConfig(v, maxPendingBytes, appendBlockTimeoutMs, tailCacheBytes, tailCacheBytesPerLog,
                stagingBufferBytes, fsyncParallelism, retentionCheckIntervalMs, fileDeleteDelayMs, directIo, clock, segmentPoolBytes);
    }

    public StorageConfig withMaxPendingBytes(long v) {
        return new StorageConfig(flushDebounceMicros, v, appendBlockTimeoutMs, tailCacheBytes, tailCacheBytesPerLog,
                stagingBufferBytes, fsyncParallelism, retentionCheckIntervalMs, fileDeleteDelayMs, directIo, clock, segmentPoolBytes);
    }

    public StorageConfig withAppendBlockTimeoutMs(long v) {
        return new StorageConfig(flushDebounceMicros, maxPendingBytes, v, tailCacheBytes, tailCacheBytesPerLog,
                stagingBufferBytes, fsyncParallelism, retentionCheckIntervalMs, fileDeleteDelayMs, directIo, clock, segmentPoolBytes);
    }

    public StorageConfig withTailCacheBytes(long total, long perLog) {
        return new StorageConfig(flushDebounceMicros, maxPendingBytes, appendBlockTimeoutMs, total, perLog,
                stagingBufferBytes, fsyncParallelism, retentionCheckIntervalMs, fileDeleteDelayMs, directIo, clock, segmentPoolBytes);
    }

    public StorageConfig withStagingBufferBytes(int v) {
        return new StorageConfig(flushDebounceMicros, maxPendingBytes, appendBlockTimeoutMs, tailCacheBytes,
                tailCacheBytesPerLog, v, fsyncParallelism, retentionCheckIntervalMs, fileDeleteDelayMs, directIo, clock, segmentPoolBytes);
    }

    public StorageConfig withFsyncParallelism(int v) {
        return new StorageConfig(flushDebounceMicros, maxPendingBytes, appendBlockTimeoutMs, tailCacheBytes,
                tailCacheBytesPerLog, stagingBufferBytes, v, retentionCheckIntervalMs, fileDeleteDelayMs, directIo, clock, segmentPoolBytes);
    }

    public StorageConfig withRetentionCheckIntervalMs(long v) {
        return new StorageConfig(flushDebounceMicros, maxPendingBytes, appendBlockTimeoutMs, tailCacheBytes,
                tailCacheBytesPerLog, stagingBufferBytes, fsyncParallelism, v, fileDeleteDelayMs, directIo, clock, segmentPoolBytes);
    }

    public StorageConfig withFileDeleteDelayMs(long v) {
        return new StorageConfig(flushDebounceMicros, maxPendingBytes, appendBlockTimeoutMs, tailCacheBytes,
                tailCacheBytesPerLog, stagingBufferBytes, fsyncParallelism, retentionCheckIntervalMs, v, directIo, clock, segmentPoolBytes);
    }

    public StorageConfig withDirectIo(boolean v) {
        return new StorageConfig(flushDebounceMicros, maxPendingBytes, appendBlockTimeoutMs, tailCacheBytes,
                tailCacheBytesPerLog, stagingBufferBytes, fsyncParallelism, retentionCheckIntervalMs, fileDeleteDelayMs, v, clock, segmentPoolBytes);
    }

    public StorageConfig withClock(LongSupplier v) {
        return new StorageConfig(flushDebounceMicros, maxPendingBytes, appendBlockTimeoutMs, tailCacheBytes,
                tailCacheBytesPerLog, stagingBufferBytes, fsyncParallelism, retentionCheckIntervalMs, fileDeleteDelayMs, directIo, v, segmentPoolBytes);
    }

    public StorageConfig withSegmentPoolBytes(long v) {
        return new StorageConfig(flushDebounceMicros, maxPendingBytes, appendBlockTimeoutMs, tailCacheBytes,
                tailCacheBytesPerLog, stagingBufferBytes, fsyncParallelism, retentionCheckIntervalMs, fileDeleteDelayMs,
                directIo, clock, v);
    }
}
