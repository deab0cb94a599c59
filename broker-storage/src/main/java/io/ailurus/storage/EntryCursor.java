package io.ailurus.storage;

/**
 * Iterates a log's entries in index order up to a bound, taking each from the tail cache when it is there and from the
 * segment files otherwise. It stays on disk while the file has the entries (sequential reads), and falls back to the
 * other source when one runs out (the cache evicted an entry, or the file is not written that far yet).
 */
final class EntryCursor {
    private Segment[] segments;
    private java.util.function.Supplier<Segment[]> refresh;
    private boolean refreshed;
    private final TailCache cache;
    private final long lastIndex;
    private long nextIndex;
    private SegmentScanner scanner;
    private int segmentPos;

    private EntryCursor(Segment[] segments, TailCache cache, long lastIndex) {
        this.segments = segments;
        this.cache = cache;
        this.lastIndex = lastIndex;
    }

    /** A cursor whose first entry is the one at {@code index}. */
    static EntryCursor atIndex(Segment[] segments, TailCache cache, long lastIndex, long index) {
        EntryCursor c = new EntryCursor(segments, cache, lastIndex);
        c.nextIndex = index;
        if (cache.get(index) == null) {
            c.seekDisk(index);
        }
        return c;
    }

    /**
     * A cursor positioned at or before the data entry holding {@code offset} (or the first one after it when the
     * offset falls in a gap); callers skip entries whose last offset is below {@code offset}.
     */
    static EntryCursor atOffset(Segment[] segments, TailCache cache, long lastIndex, long offset) {
        EntryCursor c = new EntryCursor(segments, cache, lastIndex);
        CachedEntry cached = cache.findByOffset(offset);
        if (cached != null) {
            c.nextIndex = cached.index();
            return c;
        }
        int s = segmentForOffset(segments, offset);
        Segment seg = segments[s];
        int row = seg.index.floorByOffset(offset);
        c.segmentPos = s;
        if (row < 0) {
            c.scanner = new SegmentScanner(seg, 0, seg.baseIndex, Integer.MAX_VALUE);
            c.nextIndex = seg.baseIndex;
        } else {
            c.scanner = new SegmentScanner(seg, seg.index.positionAt(row), seg.index.indexAt(row), Integer.MAX_VALUE);
            c.nextIndex = seg.index.indexAt(row);
        }
        return c;
    }

    /** A cursor at the start of segment number {@code s} of the snapshot, at sparse-index row {@code row} (or 0). */
    static EntryCursor atSegmentRow(Segment[] segments, TailCache cache, long lastIndex, int s, int row) {
        EntryCursor c = new EntryCursor(segments, cache, lastIndex);
        Segment seg = segments[s];
        c.segmentPos = s;
        int pos = row < 0 ? 0 : seg.index.positionAt(row);
        long idx = row < 0 ? seg.baseIndex : seg.index.indexAt(row);
        c.nextIndex = idx;
        c.scanner = new SegmentScanner(seg, pos, idx, Integer.MAX_VALUE);
        return c;
    }

    /** The last segment whose start offset is <= offset (the first segment when none is). */
    static int segmentForOffset(Segment[] segments, long offset) {
        int lo = 0;
        int hi = segments.length - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (segments[mid].startOffset <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The last segment whose base index is <= index (the first segment when none is). */
    static int segmentForIndex(Segment[] segments, long index) {
        int lo = 0;
        int hi = segments.length - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (segments[mid].baseIndex <= index) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private void seekDisk(long index) {
        int s = segmentForIndex(segments, index);
        Segment seg = segments[s];
        int row = seg.index.floorByIndex(index);
        segmentPos = s;
        if (row < 0) {
            scanner = new SegmentScanner(seg, 0, seg.baseIndex, Integer.MAX_VALUE);
        } else {
            scanner = new SegmentScanner(seg, seg.index.positionAt(row), seg.index.indexAt(row), Integer.MAX_VALUE);
        }
        // Skip to the wanted entry; the scanner reads headers only.
        while (scanner.expectedIndex() < index) {
            if (nextFromScanner() == null) {
                break;
            }
        }
    }

    /** Lets the cursor fetch the log's current segment list if its snapshot turns out to be too old. */
    EntryCursor withRefresh(java.util.function.Supplier<Segment[]> supplier) {
        this.refresh = supplier;
        return this;
    }

    /** The next entry, or null past the cursor's bound. */
    EntryView next() {
        while (nextIndex <= lastIndex) {
            if (scanner != null) {
                DiskEntry e = nextFromScanner();
                if (e != null) {
                    nextIndex = e.index() + 1;
                    return e;
                }
                // The file has nothing more for us (yet): the cache must have the entry, or the next segment.
                scanner = null;
                if (nextIndex > lastIndex) {
                    return null;
                }
                CachedEntry c = cache.get(nextIndex);
                if (c != null) {
                    nextIndex++;
                    return c;
                }
                if (refresh != null && !refreshed) {
                    // Our segment list predates a roll and the cache has since evicted the entry: it is in a
                    // newer segment. Look again with the current list (once).
                    refreshed = true;
                    segments = refresh.get();
                    seekDisk(nextIndex);
                    continue;
                }
                throw new CorruptLogException(segments[segmentPos].logFile, segments[segmentPos].writtenSize,
                        "entry " + nextIndex + " is neither in the file nor in the tail cache");
            }
            CachedEntry c = cache.get(nextIndex);
            if (c != null) {
                nextIndex++;
                return c;
            }
            // Evicted (so written) between our lookups: continue from the file.
            seekDisk(nextIndex);
        }
        return null;
    }

    private DiskEntry nextFromScanner() {
        while (true) {
            DiskEntry e = scanner.next();
            if (e != null) {
                return e;
            }
            if (scanner.refreshLimit()) {
                continue;
            }
            long want = scanner.expectedIndex();
            if (segmentPos + 1 < segments.length && segments[segmentPos + 1].baseIndex == want) {
                segmentPos++;
                scanner = new SegmentScanner(segments[segmentPos], 0, want, Integer.MAX_VALUE);
                continue;
            }
            if (segments[segmentPos].corruptFrom >= 0 && want <= segments[segmentPos].lastIndex) {
                throw new CorruptLogException(segments[segmentPos].logFile, segments[segmentPos].corruptFrom,
                        "entry " + want + " lies in a range found damaged when the log was opened");
            }
            return null;
        }
    }
}
