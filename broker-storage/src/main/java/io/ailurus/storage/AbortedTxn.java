package io.ailurus.storage;

/**
 * One aborted transaction of one producer on a partition: its data lies in {@code [firstOffset, lastOffset)}
 * and {@code lastOffset} is the offset of its ABORT marker. {@code lastStableOffset} is the partition's last
 * stable offset right after the abort (the first offset of the oldest transaction still open then, or
 * {@code lastOffset + 1}); no transaction aborted later can start below it, which bounds index lookups.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
    public AbortedTxn {
        if (firstOffset < 0 || lastOffset < firstOffset || lastStableOffset < 0) {
            throw new IllegalArgumentException("invalid aborted transaction: producer " + producerId + " offsets "
                    + firstOffset + ".." + lastOffset + ", last stable offset " + lastStableOffset);
        }
    }

    /** True when some of the transaction's offsets fall in {@code [from, toExclusive)}. */
    public boolean overlaps(long from, long toExclusive) {
        return lastOffset >= from && firstOffset < toExclusive;
    }
}
