package io.ailurus.protocol.codec;

import io.ailurus.protocol.records.BufferSlice;
import io.ailurus.protocol.records.FileSlice;
import io.ailurus.protocol.records.RecordSlice;
import io.ailurus.protocol.records.SliceFileRegion;
import io.ailurus.protocol.records.SlicedRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Kafka's {@link Writable} that produces a response frame as a list of Netty messages: {@link ByteBuf}s
 * for the fields the generated classes write, and, for records fields, the record bytes themselves
 * without copying them: a {@link SlicedRecords}'s file slices become {@link SliceFileRegion}s
 * (sendfile) and its buffer slices and a {@link MemoryRecords}'s buffer are passed by reference.
 *
 * <p>Write the whole frame, then call {@link #finish()} to take the parts (their ownership passes to
 * the caller), or {@link #discard()} on failure to release whatever was produced.
 */
public final class ResponseFrameWriter implements Writable {
    /** Records smaller than this are copied into the current buffer: a separate part costs more. */
    private static final int INLINE_RECORDS_MAX = 512;

    private final ByteBufAllocator alloc;
    private final List<Object> parts = new ArrayList<>(4);
    private ByteBuf current;
    private int remainingHint;

    /**
     * @param alloc       allocator for the field buffers
     * @param fieldBytes  expected bytes of everything except records passed by reference (sizes the
     *                    first buffer so it need not grow; the writer does not enforce it)
     */
    public ResponseFrameWriter(ByteBufAllocator alloc, int fieldBytes) {
        this.alloc = alloc;
        this.remainingHint = Math.max(64, fieldBytes);
        this.current = alloc.buffer(remainingHint);
    }

    /** The buffer the non-record fields go into (exposed for writing the size prefix). */
    public ByteBuf buffer() {
        return current;
    }

    @Override
    public void writeByte(byte val) {
        current.writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        current.writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        current.writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        current.writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        current.writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        current.writeBytes(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        Varints.writeUnsignedVarint(current, i);
    }

    @Override
    public void writeByteBuffer(ByteBuffer buf) {
        current.writeBytes(buf.duplicate());
    }

    @Override
    public void writeVarint(int i) {
        Varints.writeUnsignedVarint(current, (i << 1) ^ (i >> 31));
    }

    @Override
    public void writeVarlong(long i) {
        Varints.writeUnsignedVarlong(current, (i << 1) ^ (i >> 63));
    }

    @Override
    public void writeRecords(BaseRecords records) {
        switch (records) {
            case SlicedRecords sliced -> {
                for (RecordSlice slice : sliced.takeSlices()) {
                    appendSlice(slice);
                }
            }
            case MemoryRecords memory -> appendBuffer(Unpooled.wrappedBuffer(memory.buffer().duplicate()));
            default -> Writable.super.writeRecords(records);
        }
    }

    private void appendSlice(RecordSlice slice) {
        switch (slice) {
            case FileSlice file -> {
                if (file.length() == 0) {
                    file.release();
                    return;
                }
                startPart();
                parts.add(new SliceFileRegion(file));
            }
            case BufferSlice buffer -> appendBuffer(buffer.buffer());
        }
    }

    /** Takes ownership of {@code bytes}: it becomes a part of the frame, or is copied and released. */
    private void appendBuffer(ByteBuf bytes) {
        int n = bytes.readableBytes();
        if (n <= INLINE_RECORDS_MAX) {
            current.writeBytes(bytes);
            bytes.release();
            return;
        }
        startPart();
        parts.add(bytes);
    }

    /** Closes the current field buffer as a part and opens a new one for the fields after the records. */
    private void startPart() {
        int written = current.readableBytes();
        parts.add(current);
        remainingHint = Math.max(64, remainingHint - written);
        current = alloc.buffer(remainingHint);
    }

    /** The frame's parts in send order; the caller owns them (write them to the channel or release them). */
    public List<Object> finish() {
        if (current.isReadable()) {
            parts.add(current);
        } else {
            current.release();
        }
        current = null;
        return parts;
    }

    /** Releases everything produced so far (encoding failed). */
    public void discard() {
        for (Object part : parts) {
            ReferenceCountUtil.safeRelease(part);
        }
        parts.clear();
        if (current != null) {
            current.release();
            current = null;
        }
    }
}
