package io.ailurus.storage;

import java.util.function.LongConsumer;

/**
 * Counters of a data directory's group-commit flusher, for metrics and benchmarks. All monotonic except
 * {@link #pendingBytes()}.
 */
public interface FlushStats {
    /** Flush rounds run (each writes all dirty logs, then fdatasyncs each dirty file once). */
    long flushRounds();

    /** Entry bytes written to segment files. */
    long bytesWritten();

    /** fdatasync calls made. */
    long fsyncCount();

    /** Total time spent in fdatasync, in nanoseconds. */
    long fsyncNanos();

    /** Appends made durable (futures completed). */
    long appendsCompleted();

    /** Bytes appended and not yet written. */
    long pendingBytes();

    /** Sets a listener called with each fdatasync's duration in nanoseconds, on the flusher or an fsync helper thread, possibly concurrently (null to remove). */
    void setFsyncLatencyListener(LongConsumer listener);

    /**
     * Sets a listener called, for each successful append, with the nanoseconds from the {@code append} call to the
     * moment its entries are durable (written and fdatasynced), just before its future completes; on the flusher
     * thread (null to remove). Failed appends are not reported.
     */
    void setAppendLatencyListener(LongConsumer listener);
}
