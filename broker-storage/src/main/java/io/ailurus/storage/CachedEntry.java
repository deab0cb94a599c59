package io.ailurus.storage;

import java.nio.ByteBuffer;

/**
 * An entry held in the tail cache. {@code payload} is a read-only view of the entry's bytes; baseOffset/lastOffset and
 * maxTimestamp are -1 for non-data entries. {@code offsetBefore} is the log end offset just before the entry.
 */
record CachedEntry(long index, long term, EntryType type, ByteBuffer payload, long baseOffset, long lastOffset,
                   long maxTimestamp, long offsetBefore) implements EntryView {
    @Override
    public int size() {
        return payload.remaining();
    }

    /** The log end offset after this entry: non-decreasing along the log, so it can be binary-searched. */
    long endOffset() {
        return type == EntryType.DATA ? lastOffset + 1 : offsetBefore;
    }

    int memory() {
        return payload.remaining() + 96;
    }
}
