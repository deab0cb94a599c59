package io.ailurus.storage;

import java.util.Arrays;

/**
 * A segment's sparse index in memory: (Raft index, Kafka log end offset just before that entry, file position),
 * one row every {@code indexIntervalBytes} plus one for the segment's first entry. All three columns are
 * non-decreasing, so one floor lookup serves both Raft-index and Kafka-offset searches.
 * <p>One writer appends or truncates; readers on other threads see a consistent prefix: a row is fully stored
 * before the volatile size grows, and grown arrays are published before the size that needs them.
 */
final class SparseIndex {
    private record Columns(long[] index, long[] offset, int[] position) {
    }

    private volatile Columns columns = new Columns(new long[8], new long[8], new int[8]);
    private volatile int size;

    void add(long raftIndex, long offsetBefore, int position) {
        Columns c = columns;
        int n = size;
        if (n == c.index.length) {
            int cap = n * 2;
            c = new Columns(Arrays.copyOf(c.index, cap), Arrays.copyOf(c.offset, cap), Arrays.copyOf(c.position, cap));
            columns = c;
        }
        c.index[n] = raftIndex;
        c.offset[n] = offsetBefore;
        c.position[n] = position;
        size = n + 1;
    }

    int size() {
        return size;
    }

    long indexAt(int row) {
        return columns.index[row];
    }

    long offsetAt(int row) {
        return columns.offset[row];
    }

    int positionAt(int row) {
        return columns.position[row];
    }

    /** The last row whose Raft index is <= raftIndex, or -1. */
    int floorByIndex(long raftIndex) {
        int n = size;
        Columns c = columns;
        return floor(c.index, n, raftIndex);
    }

    /** The last row whose offset-before is <= offset, or -1. A batch holding {@code offset} starts at or after it. */
    int floorByOffset(long offset) {
        int n = size;
        Columns c = columns;
        return floor(c.offset, n, offset);
    }

    private static int floor(long[] column, int n, long key) {
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (column[mid] <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Drops rows whose Raft index is > lastIndexKept. */
    void truncateAfter(long lastIndexKept) {
        int row = floorByIndex(lastIndexKept);
        size = row + 1;
    }
}
