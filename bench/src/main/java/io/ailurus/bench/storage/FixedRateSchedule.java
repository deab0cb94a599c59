package io.ailurus.bench.storage;

/**
 * When each batch of a fixed-rate (open-loop) case is meant to be sent: every partition sends one batch every
 * {@code intervalNanos}, and partition {@code i} of {@code P} is shifted by {@code i/P} of an interval, so the
 * partitions together send evenly spaced batches instead of bursts of P at once.
 * <p>Latency is measured from these intended times, not from when the issuer got round to the append: an issuer that
 * falls behind (a stalled append, a late wake-up, the engine pushing back) adds its delay to every batch it owes,
 * as a real producer's waiting records would see it (no coordinated omission).
 *
 * @param startNanos    {@link System#nanoTime()} at which partition 0 sends its first batch
 * @param partitions    partitions sharing the rate
 * @param intervalNanos time between two batches of one partition
 */
record FixedRateSchedule(long startNanos, int partitions, double intervalNanos) {

    FixedRateSchedule {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        if (!(intervalNanos >= 1)) {
            throw new IllegalArgumentException("interval must be >= 1 ns, got " + intervalNanos);
        }
    }

    /** The schedule sending {@code mibPerSecond} of {@code batchBytes}-byte batches across all partitions. */
    static FixedRateSchedule of(long startNanos, int partitions, int batchBytes, double mibPerSecond) {
        if (!(mibPerSecond > 0) || batchBytes < 1) {
            throw new IllegalArgumentException("rate and batch size must be positive, got " + mibPerSecond
                    + " MiB/s of " + batchBytes + " B batches");
        }
        double batchesPerSecondPerPartition = mibPerSecond * (1 << 20) / batchBytes / partitions;
        return new FixedRateSchedule(startNanos, partitions, 1e9 / batchesPerSecondPerPartition);
    }

    /** Intended send time of batch number {@code sequence} (0, 1, ...) of partition {@code partition}. */
    long intendedNanos(int partition, long sequence) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " of " + partitions);
        }
        return startNanos + Math.round((sequence + (double) partition / partitions) * intervalNanos);
    }
}
