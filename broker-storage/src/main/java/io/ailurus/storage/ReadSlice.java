package io.ailurus.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Exactly one Kafka record batch returned by {@link PartitionLog#read}: either a region of a segment file
 * (send it with {@code FileChannel.transferTo} or Netty's {@code DefaultFileRegion}) or a read-only buffer
 * from the tail cache.
 */
public sealed interface ReadSlice permits ReadSlice.FileSlice, ReadSlice.BufferSlice {

    /** The batch's base offset. */
    long baseOffset();

    /** The batch's last offset (base offset + last offset delta). */
    long lastOffset();

    /** The number of bytes of the batch. */
    int length();

    /** Copies the batch's bytes into a new heap buffer (for tests and callers that cannot use file regions). */
    ByteBuffer toByteBuffer();

    /**
     * A region of a segment file. The channel belongs to the log: never close it. It stays open for at least
     * {@code StorageConfig.fileDeleteDelayMs} after its segment is deleted, so an in-flight send completes.
     */
    record FileSlice(FileChannel channel, long position, int length, long baseOffset, long lastOffset)
            implements ReadSlice {
        @Override
        public ByteBuffer toByteBuffer() {
            ByteBuffer out = ByteBuffer.allocate(length);
            try {
                while (out.hasRemaining()) {
                    int n = channel.read(out, position + out.position());
                    if (n < 0) {
                        throw new StorageException("segment file ended before the batch at position " + position);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.flip();
        }
    }

    /** A batch held in memory (the tail cache). The buffer is read-only; its position..limit are the batch. */
    record BufferSlice(ByteBuffer buffer, long baseOffset, long lastOffset) implements ReadSlice {
        @Override
        public int length() {
            return buffer.remaining();
        }

        @Override
        public ByteBuffer toByteBuffer() {
            ByteBuffer out = ByteBuffer.allocate(buffer.remaining());
            out.put(buffer.duplicate());
            return out.flip();
        }
    }
}
