package io.ailurus.protocol.records;

import io.netty.channel.DefaultFileRegion;

/**
 * A {@link DefaultFileRegion} over a {@link FileSlice} that does not close the segment's channel when
 * Netty is done with it (the stock region closes its file on release; the segment outlives the send).
 * It stays a {@code DefaultFileRegion} so the epoll transport still uses native sendfile; NIO uses
 * {@code FileChannel.transferTo}, also sendfile on Linux.
 */
public final class SliceFileRegion extends DefaultFileRegion {
    private final Runnable onRelease;

    /** A region over {@code slice}; its release hook runs when Netty releases the region. */
    public SliceFileRegion(FileSlice slice) {
        super(slice.channel(), slice.position(), slice.length());
        this.onRelease = slice.onRelease();
    }

    @Override
    protected void deallocate() {
        // Deliberately not super.deallocate(): that would close the owner's FileChannel.
        onRelease.run();
    }
}
