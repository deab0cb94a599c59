package io.ailurus.storage;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of a {@link LogCleaner}, for metrics: all monotonic except {@link #maxDirtyRatio()}. Thread-safe. */
public final class CleanerStats {
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong segmentsRewritten = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong recordsRemoved = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong passNanos = new AtomicLong();
    private volatile double maxDirtyRatio;

    /** Compaction passes completed (one pass compacts one log). */
    public long passes() {
        return passes.get();
    }

    /** Segments replaced by a compacted copy. */
    public long segmentsRewritten() {
        return segmentsRewritten.get();
    }

    /** Segment bytes read by the cleaner (mapping and rewriting). */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** Segment bytes written by the cleaner. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** Records removed (older versions of a key, expired tombstones, keyless records). */
    public long recordsRemoved() {
        return recordsRemoved.get();
    }

    /** Passes that failed (an I/O error; the log is left as it was). */
    public long failures() {
        return failures.get();
    }

    /** Total time spent in passes, nanoseconds. */
    public long passNanos() {
        return passNanos.get();
    }

    /** The highest dirty ratio among the compacted logs at the last check (0..1). */
    public double maxDirtyRatio() {
        return maxDirtyRatio;
    }

    void passDone(long nanos) {
        passes.incrementAndGet();
        passNanos.addAndGet(nanos);
    }

    void segmentRewritten() {
        segmentsRewritten.incrementAndGet();
    }

    void read(long bytes) {
        bytesRead.addAndGet(bytes);
    }

    void written(long bytes) {
        bytesWritten.addAndGet(bytes);
    }

    void removed(long records) {
        recordsRemoved.addAndGet(records);
    }

    void failed() {
        failures.incrementAndGet();
    }

    void maxDirtyRatio(double r) {
        maxDirtyRatio = r;
    }
}
