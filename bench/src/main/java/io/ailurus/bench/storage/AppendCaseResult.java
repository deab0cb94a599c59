package io.ailurus.bench.storage;

import org.HdrHistogram.Histogram;

/**
 * The figures of one append case's measured window: counter deltas between {@code start} and {@code end} and the
 * latency histogram (nanoseconds) of the batches that became durable in the window.
 *
 * @param inflight    batches in flight per partition of a saturated case (0 for a fixed-rate case)
 * @param targetMiBps a fixed-rate case's target across all partitions; 0 = saturated (closed loop)
 * @param rateLabel   how the fixed rate was asked for ("0.25×fio", "100MiB/s"); empty when saturated
 */
record AppendCaseResult(int partitions, int threads, int inflight, int batchBytes, double targetMiBps,
                        String rateLabel, Counters start, Counters end, Histogram latencyNanos, String note) {
    /** A fixed-rate case kept up when it made at least this share of its target durable in the window. */
    static final double KEPT_UP_SHARE = 0.95;

    /** A snapshot of monotonic counters. */
    record Counters(long nanoTime, long durableBatches, long flushRounds, long fsyncs, long fsyncNanos,
                    long bytesWritten, long cpuNanos, long diskWriteBytes) {
    }

    double seconds() {
        return (end.nanoTime() - start.nanoTime()) / 1e9;
    }

    long batches() {
        return end.durableBatches() - start.durableBatches();
    }

    /** Durable record-batch bytes per second, in MiB/s (what producers sent, without the log's 32-byte entry headers). */
    double mibPerSecond() {
        return batches() * (double) batchBytes / seconds() / (1 << 20);
    }

    boolean fixedRate() {
        return targetMiBps > 0;
    }

    /**
     * Whether a fixed-rate case made its target durable: if not, the engine (or the machine) could not keep up and
     * its latency is that of a growing queue. A saturated case always "keeps up" with itself.
     */
    boolean keptUp() {
        return !fixedRate() || mibPerSecond() >= KEPT_UP_SHARE * targetMiBps;
    }

    double batchesPerSecond() {
        return batches() / seconds();
    }

    double percentileMs(double percentile) {
        return latencyNanos.getValueAtPercentile(percentile) / 1e6;
    }

    double maxMs() {
        return latencyNanos.getMaxValue() / 1e6;
    }

    long rounds() {
        return end.flushRounds() - start.flushRounds();
    }

    double roundsPerSecond() {
        return rounds() / seconds();
    }

    /** Bytes the flusher wrote per round (entries with their headers, before page padding). */
    double kibPerRound() {
        long r = rounds();
        return r == 0 ? 0 : (end.bytesWritten() - start.bytesWritten()) / (double) r / 1024;
    }

    double fsyncsPerRound() {
        long r = rounds();
        return r == 0 ? 0 : (end.fsyncs() - start.fsyncs()) / (double) r;
    }

    /** Mean fdatasync time in microseconds. */
    double fsyncMeanMicros() {
        long n = end.fsyncs() - start.fsyncs();
        return n == 0 ? 0 : (end.fsyncNanos() - start.fsyncNanos()) / (double) n / 1000;
    }

    /** Share of the window the flusher thread spent inside fdatasync (1.0 = every moment). */
    double fsyncBusy() {
        return (end.fsyncNanos() - start.fsyncNanos()) / (double) (end.nanoTime() - start.nanoTime());
    }

    /**
     * Bytes sent to the disk per durable batch byte (1.0 = every byte written once), -1 if unknown. Preallocation
     * zero-fills ahead (writing the file twice) and each round rewrites the partial last page of every file.
     */
    double writeAmplification() {
        long b = batches() * (long) batchBytes;
        if (start.diskWriteBytes() < 0 || end.diskWriteBytes() < 0 || b == 0) {
            return -1;
        }
        return (end.diskWriteBytes() - start.diskWriteBytes()) / (double) b;
    }

    /** Process CPU in the window, in cores (2.0 = both cores of this machine busy all the time), -1 if unknown. */
    double cpuCores() {
        if (start.cpuNanos() < 0 || end.cpuNanos() < 0) {
            return -1;
        }
        return (end.cpuNanos() - start.cpuNanos()) / (double) (end.nanoTime() - start.nanoTime());
    }
}
