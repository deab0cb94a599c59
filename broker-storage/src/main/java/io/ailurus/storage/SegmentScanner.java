package io.ailurus.storage;

import io.ailurus.storage.format.BatchHeader;
import io.ailurus.storage.format.EntryHeader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Walks the entries of one segment file from a known entry boundary, reading headers through a small buffer (payloads
 * are not read unless asked). Anything that does not look like the next entry (bad header, unexpected index,
 * zeros) is reported as a {@link CorruptLogException}: below the written size there must be valid entries only.
 */
final class SegmentScanner {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SegmentScanner.class);
    private static final int CHUNK = 16 * 1024;

    private final Segment segment;
    private final int maxEntryBytes;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    private long chunkStart = -1;
    private int chunkLength;
    private int position;
    private long expectedIndex;
    private int limit;

    SegmentScanner(Segment segment, int position, long expectedIndex, int maxEntryBytes) {
        this.segment = segment;
        this.position = position;
        this.expectedIndex = expectedIndex;
        this.maxEntryBytes = maxEntryBytes;
        this.limit = segment.writtenSize;
    }

    Segment segment() {
        return segment;
    }

    long expectedIndex() {
        return expectedIndex;
    }

    /** Re-reads the segment's written size; returns true when more entries became readable. */
    boolean refreshLimit() {
        int l = segment.writtenSize;
        boolean grew = l > limit;
        limit = l;
        return grew;
    }

    /** The next entry, or null at the segment's written end. */
    DiskEntry next() {
        if (position >= limit) {
            return null;
        }
        if (segment.corruptFrom >= 0 && position >= segment.corruptFrom) {
            throw corrupt("this range was found damaged when the log was opened");
        }
        if (limit - position < EntryHeader.SIZE) {
            throw corrupt("an entry header is cut off by the end of the written data");
        }
        int rel = load(position, EntryHeader.SIZE + BatchHeader.NEEDED);
        EntryHeader.Shape shape = EntryHeader.shape(chunk, rel, Integer.MAX_VALUE);
        if (shape != EntryHeader.Shape.PLAUSIBLE) {
            throw corrupt(shape == EntryHeader.Shape.ZEROS ? "zeros where entry " + expectedIndex + " should be"
                    : "unreadable entry header where entry " + expectedIndex + " should be");
        }
        EntryHeader h = EntryHeader.read(chunk, rel);
        if (h.index() != expectedIndex) {
            throw corrupt("found entry " + h.index() + " where entry " + expectedIndex + " should be");
        }
        if ((long) position + h.totalSize() > limit) {
            throw corrupt("entry " + h.index() + " runs past the end of the written data");
        }
        long base = -1;
        long last = -1;
        long ts = -1;
        if (h.type() == EntryType.DATA) {
            if (h.length() < BatchHeader.SIZE) {
                throw corrupt("data entry " + h.index() + " is too short for a record batch");
            }
            int p = rel + EntryHeader.SIZE;
            base = BatchHeader.baseOffset(chunk, p);
            last = BatchHeader.lastOffset(chunk, p);
            ts = BatchHeader.maxTimestamp(chunk, p);
        }
        DiskEntry e = new DiskEntry(segment, position, h.index(), h.term(), h.type(), h.length(), base, last, ts);
        position += h.totalSize();
        expectedIndex++;
        return e;
    }

    /** Reads an entry's payload into a new buffer, checking its CRC. */
    static ByteBuffer readPayload(DiskEntry e) {
        Segment seg = e.segment();
        ByteBuffer whole = ByteBuffer.allocate(EntryHeader.SIZE + e.size());
        try {
            long p = e.position();
            while (whole.hasRemaining()) {
                int n = seg.readChannel.read(whole, p);
                if (n < 0) {
                    throw new CorruptLogException(seg.logFile, e.position(), "the file ends inside entry " + e.index());
                }
                p += n;
            }
        } catch (IOException x) {
            throw new UncheckedIOException("reading " + seg.logFile + " at " + e.position(), x);
        }
        whole.flip();
        ByteBuffer payload = whole.slice(EntryHeader.SIZE, e.size());
        if (!EntryHeader.crcMatches(whole, 0, payload)) {
            CorruptLogException x = new CorruptLogException(seg.logFile, e.position(),
                    "entry " + e.index() + " fails its checksum");
            if (seg.lastReportedCorruption != e.position()) {
                // Once per damaged entry, not once per read of it: consumers retry.
                seg.lastReportedCorruption = e.position();
                log.error(x.getMessage());
            }
            throw x;
        }
        return payload;
    }

    private int load(int pos, int wanted) {
        int need = Math.min(wanted, limit - pos);
        if (chunkStart >= 0 && pos >= chunkStart && pos + need <= chunkStart + chunkLength) {
            return (int) (pos - chunkStart);
        }
        chunk.clear().limit(Math.min(CHUNK, limit - pos));
        readFully(chunk, pos);
        chunkStart = pos;
        chunkLength = chunk.position();
        return 0;
    }

    private void readFully(ByteBuffer dst, long pos) {
        try {
            long p = pos;
            while (dst.hasRemaining()) {
                int n = segment.readChannel.read(dst, p);
                if (n < 0) {
                    throw corrupt("the file ends before position " + (pos + dst.limit()));
                }
                p += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + segment.logFile + " at " + pos, e);
        }
    }

    private CorruptLogException corrupt(String what) {
        return new CorruptLogException(segment.logFile, position, what);
    }
}
