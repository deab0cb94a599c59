package io.ailurus.storage;

import java.nio.ByteBuffer;

/**
 * An entry held in the tail cache. {@code payload} is a read-only view of the entry's bytes; baseOffset/lastOffset and
 * maxTimestamp are -1 for non-data entries.
 */
record CachedEntry(long index, long term, EntryType type, ByteBuffer payload, long baseOffset, long lastOffset,
                   long maxTimestamp) implements EntryView {
    @Override
    public int size() {
        return payload.remaining();
    }

    int memory() {
        return payload.remaining() + 96;
    }
}
