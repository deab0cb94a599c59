package io.ailurus.storage;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The tail cache's ring: growth, offset lookups across gaps and Raft entries, eviction and truncation rules. */
class TailCacheTest {
    final AtomicLong global = new AtomicLong();
    final TailCache cache = new TailCache(global);

    /** Index i: DATA batches of 2 offsets, every 4th index a NO_OP; offsets jump by 10 after index 50. */
    void fill(long from, long to) {
        long offset = 0;
        for (long i = 1; i <= to; i++) {
            if (i == 50) {
                offset += 10;
            }
            CachedEntry e = i % 4 == 0
                    ? new CachedEntry(i, 1, EntryType.NO_OP, ByteBuffer.allocate(4), -1, -1, -1, offset)
                    : new CachedEntry(i, 1, EntryType.DATA, ByteBuffer.allocate(100), offset, offset + 1, i, offset);
            if (e.type() == EntryType.DATA) {
                offset += 2;
            }
            if (i >= from) {
                cache.add(e);
            }
        }
    }

    @Test
    void growsAndFindsEntriesByIndexAndOffset() {
        fill(1, 200);
        assertEquals(1, cache.firstIndex());
        for (long i = 1; i <= 200; i++) {
            assertEquals(i, cache.get(i).index());
        }
        assertNull(cache.get(201));
        assertNull(cache.get(0));
        // Index 1 holds offsets 0..1, index 2 holds 2..3, index 4 is a NO_OP, index 5 holds 6..7.
        assertEquals(1, cache.findByOffset(1).index());
        assertEquals(2, cache.findByOffset(3).index());
        assertEquals(5, cache.findByOffset(6).index());
        // A gap of 10 offsets lies between index 49 and index 50.
        CachedEntry before = cache.get(49);
        CachedEntry after = cache.get(50);
        assertEquals(after.baseOffset(), before.lastOffset() + 11);
        assertEquals(50, cache.findByOffset(before.lastOffset() + 5).index(), "an offset in the gap finds the next batch");
        assertEquals(global.get(), cache.bytes());
    }

    @Test
    void evictsOnlyWrittenEntriesOldestFirst() {
        fill(1, 100);
        long total = cache.bytes();
        cache.evictTo(0, 30);
        assertEquals(31, cache.firstIndex(), "entries after the written index stay whatever the budget");
        assertNull(cache.get(30));
        assertNotNull(cache.get(31));
        assertNull(cache.findByOffset(0), "offsets before the cached run are not the cache's to answer");
        assertEquals(total - cache.bytes(), total - global.get());
    }

    @Test
    void truncationAndRestart() {
        fill(1, 40);
        cache.truncateAfter(20);
        assertNull(cache.get(21));
        assertEquals(20, cache.get(20).index());
        cache.truncateBefore(10);
        assertEquals(10, cache.firstIndex());
        // A non-contiguous add (after a reset) starts a new run.
        cache.add(new CachedEntry(1000, 2, EntryType.NO_OP, ByteBuffer.allocate(1), -1, -1, -1, 500));
        assertNull(cache.get(20));
        assertEquals(1000, cache.firstIndex());
        cache.clear();
        assertEquals(-1, cache.firstIndex());
        assertEquals(0, global.get());
    }
}
