package io.ailurus.storage;

/** An entry located in a segment file: its header fields and, for data, the batch fields storage uses. */
record DiskEntry(Segment segment, int position, long index, long term, EntryType type, int size, long baseOffset,
                 long lastOffset, long maxTimestamp) implements EntryView {
    /** File position of the payload. */
    int payloadPosition() {
        return position + io.ailurus.storage.format.EntryHeader.SIZE;
    }
}
