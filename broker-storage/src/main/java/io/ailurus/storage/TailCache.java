package io.ailurus.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recently appended entries of one log, kept in memory so that tail reads (consumers at the head, Raft
 * replicators) never touch the disk right after a direct write bypassed the page cache. The cache always holds a
 * contiguous run of indexes ending at the log's last index, and always every entry not yet written to the file:
 * eviction only removes the oldest entries, and only ones already written. Reads are lock-free.
 */
final class TailCache {
    private final ConcurrentSkipListMap<Long, CachedEntry> byIndex = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, CachedEntry> byOffset = new ConcurrentSkipListMap<>();
    private final AtomicLong globalBytes;
    private long bytes;

    TailCache(AtomicLong globalBytes) {
        this.globalBytes = globalBytes;
    }

    synchronized void add(CachedEntry e) {
        byIndex.put(e.index(), e);
        if (e.type() == EntryType.DATA) {
            byOffset.put(e.baseOffset(), e);
        }
        bytes += e.memory();
        globalBytes.addAndGet(e.memory());
    }

    CachedEntry get(long index) {
        return byIndex.get(index);
    }

    /** The first cached index, or -1 when empty. */
    long firstIndex() {
        Map.Entry<Long, CachedEntry> e = byIndex.firstEntry();
        return e == null ? -1 : e.getKey();
    }

    /**
     * The cached data entry holding {@code offset} or, if the offset falls in a gap, the first cached data entry after
     * it; null when the cache does not cover {@code offset} (it lies before the first cached data entry).
     */
    CachedEntry findByOffset(long offset) {
        Map.Entry<Long, CachedEntry> first = byOffset.firstEntry();
        if (first == null || offset < first.getKey()) {
            return null;
        }
        Map.Entry<Long, CachedEntry> floor = byOffset.floorEntry(offset);
        if (floor != null && floor.getValue().lastOffset() >= offset) {
            return floor.getValue();
        }
        Map.Entry<Long, CachedEntry> next = byOffset.higherEntry(offset);
        return next == null ? null : next.getValue();
    }

    /** True when every data entry at or after {@code offset} is cached (the offset is not before the first one). */
    boolean coversOffset(long offset) {
        Map.Entry<Long, CachedEntry> first = byOffset.firstEntry();
        return first != null && offset >= first.getKey();
    }

    long bytes() {
        return bytes;
    }

    /** Evicts the oldest entries with index <= writtenIndex until at most {@code target} bytes remain. */
    synchronized void evictTo(long target, long writtenIndex) {
        while (bytes > target) {
            Map.Entry<Long, CachedEntry> e = byIndex.firstEntry();
            if (e == null || e.getKey() > writtenIndex) {
                return;
            }
            remove(e.getValue());
        }
    }

    /** Drops entries with index > lastIndexKept. */
    synchronized void truncateAfter(long lastIndexKept) {
        Map.Entry<Long, CachedEntry> e;
        while ((e = byIndex.lastEntry()) != null && e.getKey() > lastIndexKept) {
            remove(e.getValue());
        }
    }

    /** Drops entries with index < firstIndexKept. */
    synchronized void truncateBefore(long firstIndexKept) {
        Map.Entry<Long, CachedEntry> e;
        while ((e = byIndex.firstEntry()) != null && e.getKey() < firstIndexKept) {
            remove(e.getValue());
        }
    }

    synchronized void clear() {
        truncateAfter(Long.MIN_VALUE);
    }

    private void remove(CachedEntry e) {
        // Readers see the index map first; removing from it first keeps "covered" lookups conservative.
        if (e.type() == EntryType.DATA) {
            byOffset.remove(e.baseOffset());
        }
        byIndex.remove(e.index());
        bytes -= e.memory();
        globalBytes.addAndGet(-e.memory());
    }
}
