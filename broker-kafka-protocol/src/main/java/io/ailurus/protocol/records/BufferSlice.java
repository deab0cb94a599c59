package io.ailurus.protocol.records;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Record-batch bytes already in memory. The slice owns one reference to {@code buffer}: the encoder
 * passes it to Netty, which releases it after the write. A caller that keeps using the buffer passes
 * {@code buf.retainedSlice()} or {@code buf.retainedDuplicate()}.
 *
 * @param buffer the readable bytes of this buffer (reader index to writer index) are sent
 */
public record BufferSlice(ByteBuf buffer) implements RecordSlice {
    public BufferSlice {
        Objects.requireNonNull(buffer, "buffer");
    }

    /** Wraps a NIO buffer's remaining bytes without copying them; the NIO buffer must not change until sent. */
    public static BufferSlice of(ByteBuffer nio) {
        return new BufferSlice(Unpooled.wrappedBuffer(nio.slice()));
    }

    @Override
    public int length() {
        return buffer.readableBytes();
    }

    @Override
    public void release() {
        buffer.release();
    }
}
