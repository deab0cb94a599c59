package io.ailurus.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Recently appended entries of one log, kept in memory so that tail reads (consumers at the head, Raft
 * replicators) never touch the disk right after a direct write bypassed the page cache. The cache holds a
 * contiguous run of indexes [head, tail] ending at the log's last index, and always every entry not yet written
 * to the file: eviction only removes the oldest entries, and only ones already written.
 * <p>A ring indexed by Raft index: the appender adds at the tail, the flusher evicts at the head (both under this
 * object's monitor); readers take no lock. A reader reads {@code tail}, then the ring (published before the tail
 * that needs it), then a slot, and accepts the slot only if it holds the index asked for: a slot reused after
 * eviction is seen as a miss, and an evicted entry is always on disk.
 */
final class TailCache {
    private final AtomicLong globalBytes;
    private volatile CachedEntry[] ring = new CachedEntry[16];
    /** First cached index. */
    private volatile long head = 0;
    /** Last cached index; the cache is empty when tail < head. */
    private volatile long tail = -1;
    private long bytes;

    TailCache(AtomicLong globalBytes) {
        this.globalBytes = globalBytes;
    }

    synchronized void add(CachedEntry e) {
        long h = head;
        long t = tail;
        if (t < h || e.index() != t + 1) {
            // Empty (or a new start after a reset): begin a new run at this index.
            clear();
            h = e.index();
            t = e.index() - 1;
            head = h;
        }
        CachedEntry[] r = ring;
        if (t + 1 - h + 1 > r.length) {
            CachedEntry[] bigger = new CachedEntry[r.length * 2];
            for (long i = h; i <= t; i++) {
                bigger[slot(bigger, i)] = r[slot(r, i)];
            }
            ring = bigger;
            r = bigger;
        }
        r[slot(r, e.index())] = e;
        bytes += e.memory();
        globalBytes.addAndGet(e.memory());
        tail = e.index();
    }

    private static int slot(CachedEntry[] r, long index) {
        return (int) (index & (r.length - 1));
    }

    CachedEntry get(long index) {
        long t = tail;
        if (index > t || index < head) {
            return null;
        }
        CachedEntry[] r = ring;
        CachedEntry e = r[slot(r, index)];
        return e != null && e.index() == index ? e : null;
    }

    /** The first cached index, or -1 when empty. */
    long firstIndex() {
        long h = head;
        return tail < h ? -1 : h;
    }

    /**
     * The cached data entry holding {@code offset} or, if the offset falls in a gap, the first cached data entry after
     * it; null when the cache cannot tell (the offset lies before the cached run, past it, or the run moved while
     * looking): the caller then looks on disk, which has everything the cache no longer holds.
     */
    CachedEntry findByOffset(long offset) {
        long t = tail;
        long h = head;
        CachedEntry first = get(h);
        if (first == null || offset < first.offsetBefore()) {
            return null;
        }
        // Lower bound: the first entry whose end offset is past the offset.
        long lo = h;
        long hi = t;
        long found = -1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            CachedEntry m = get(mid);
            if (m == null) {
                return null;
            }
            if (m.endOffset() > offset) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        if (found < 0) {
            return null;
        }
        for (long i = found; i <= t; i++) {
            CachedEntry e = get(i);
            if (e == null) {
                return null;
            }
            if (e.type() == EntryType.DATA) {
                return e;
            }
        }
        return null;
    }

    long bytes() {
        return bytes;
    }

    /** Evicts the oldest entries with index <= writtenIndex until at most {@code target} bytes remain. */
    synchronized void evictTo(long target, long writtenIndex) {
        CachedEntry[] r = ring;
        long h = head;
        long t = tail;
        while (bytes > target && h <= t && h <= writtenIndex) {
            release(r, h);
            h++;
            head = h;
        }
    }

    /** Drops entries with index > lastIndexKept. */
    synchronized void truncateAfter(long lastIndexKept) {
        CachedEntry[] r = ring;
        long t = tail;
        long h = head;
        while (t >= h && t > lastIndexKept) {
            // Lower the tail first so readers stop asking for the slot before it is cleared.
            tail = t - 1;
            release(r, t);
            t--;
        }
    }

    /** Drops entries with index < firstIndexKept. */
    synchronized void truncateBefore(long firstIndexKept) {
        CachedEntry[] r = ring;
        long h = head;
        long t = tail;
        while (h <= t && h < firstIndexKept) {
            release(r, h);
            h++;
            head = h;
        }
    }

    synchronized void clear() {
        truncateAfter(Long.MIN_VALUE);
        head = 0;
        tail = -1;
    }

    private void release(CachedEntry[] r, long index) {
        int s = slot(r, index);
        CachedEntry e = r[s];
        if (e != null && e.index() == index) {
            r[s] = null;
            bytes -= e.memory();
            globalBytes.addAndGet(-e.memory());
        }
    }
}
