package io.ailurus.storage;

import java.util.Arrays;

/**
 * A segment's time index in memory: rows (max timestamp so far, base offset of the batch that has it), both strictly
 * increasing. Same publication rules as {@link SparseIndex}: one writer, lock-free readers.
 */
final class TimeIndex {
    private record Columns(long[] timestamp, long[] offset) {
    }

    private volatile Columns columns = new Columns(new long[4], new long[4]);
    private volatile int size;

    /** Adds a row if it moves both columns forward; returns whether it did. */
    boolean maybeAdd(long timestamp, long offset) {
        int n = size;
        Columns c = columns;
        if (n > 0 && (timestamp <= c.timestamp[n - 1] || offset <= c.offset[n - 1])) {
            return false;
        }
        if (n == c.timestamp.length) {
            c = new Columns(Arrays.copyOf(c.timestamp, n * 2), Arrays.copyOf(c.offset, n * 2));
            columns = c;
        }
        c.timestamp[n] = timestamp;
        c.offset[n] = offset;
        size = n + 1;
        return true;
    }

    int size() {
        return size;
    }

    long timestampAt(int row) {
        return columns.timestamp[row];
    }

    long offsetAt(int row) {
        return columns.offset[row];
    }

    /** The last row whose timestamp is < ts (every batch up to its offset is older than ts), or -1. */
    int lastBefore(long ts) {
        int n = size;
        Columns c = columns;
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (c.timestamp[mid] < ts) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Drops rows whose offset is >= endOffset. */
    void truncateFrom(long endOffset) {
        int n = size;
        Columns c = columns;
        while (n > 0 && c.offset[n - 1] >= endOffset) {
            n--;
        }
        size = n;
    }
}
