package io.ailurus.protocol.records;

import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * {@code length} bytes of a segment file starting at {@code position}, sent from the page cache to the
 * socket without entering the heap.
 *
 * <p>The channel belongs to the caller (the segment), not to the response: it is never closed here.
 * {@code onRelease} runs exactly once when the bytes have been written to the socket or the response
 * was dropped (connection closed); a segment that is ref-counted uses it to drop the hold that keeps
 * the file open while a send is in flight.
 *
 * @param channel   an open channel on the segment file; must stay open until {@code onRelease} runs
 * @param position  file offset of the first byte
 * @param length    number of bytes, {@code >= 0}
 * @param onRelease runs once when the slice is no longer needed; never null
 */
public record FileSlice(FileChannel channel, long position, int length, Runnable onRelease) implements RecordSlice {
    private static final Runnable NOTHING = () -> { };

    public FileSlice {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(onRelease, "onRelease");
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("negative position " + position + " or length " + length);
        }
    }

    /** A slice whose channel's lifetime the caller manages by other means (nothing to run on release). */
    public FileSlice(FileChannel channel, long position, int length) {
        this(channel, position, length, NOTHING);
    }

    @Override
    public void release() {
        onRelease.run();
    }
}
