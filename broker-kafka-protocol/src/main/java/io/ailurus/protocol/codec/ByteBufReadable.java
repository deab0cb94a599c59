package io.ailurus.protocol.codec;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.protocol.Readable;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Kafka's {@link Readable} over a Netty {@link ByteBuf}, so the generated {@code *Data} classes can
 * parse straight out of the socket's read buffer.
 *
 * <p>What is copied and what is not:
 * <ul>
 *   <li>{@link #readRecords(int)} is <b>not</b> copied: the returned {@link MemoryRecords} wraps a
 *       {@link ByteBuffer} view of the frame. It is valid only while the frame buffer is retained (the
 *       pipeline keeps it until the request's handler has completed).</li>
 *   <li>{@link #readByteBuffer(int)} is copied into a heap buffer. The generated classes use it only for
 *       the few "zeroCopy" byte fields (consumer protocol, envelope, telemetry); a handler may keep those
 *       beyond the request's life (a group coordinator does), so a view would be a use-after-free.</li>
 *   <li>Strings and byte arrays are necessarily copied (they are Java objects).</li>
 * </ul>
 * Reads past the end throw {@link IndexOutOfBoundsException} (a malformed request), never allocate
 * from an untrusted length first.
 */
public final class ByteBufReadable implements Readable {
    private final ByteBuf buf;

    /** Reads from {@code buf}'s reader index up to its writer index; advances the reader index. */
    public ByteBufReadable(ByteBuf buf) {
        this.buf = buf;
    }

    @Override
    public byte readByte() {
        return buf.readByte();
    }

    @Override
    public short readShort() {
        return buf.readShort();
    }

    @Override
    public int readInt() {
        return buf.readInt();
    }

    @Override
    public long readLong() {
        return buf.readLong();
    }

    @Override
    public double readDouble() {
        return buf.readDouble();
    }

    @Override
    public byte[] readArray(int length) {
        checkLength(length);
        byte[] out = new byte[length];
        buf.readBytes(out);
        return out;
    }

    @Override
    public int readUnsignedVarint() {
        return Varints.readUnsignedVarint(buf);
    }

    @Override
    public ByteBuffer readByteBuffer(int length) {
        return ByteBuffer.wrap(readArray(length));
    }

    @Override
    public int readVarint() {
        int raw = Varints.readUnsignedVarint(buf);
        return (raw >>> 1) ^ -(raw & 1);
    }

    @Override
    public long readVarlong() {
        long raw = Varints.readUnsignedVarlong(buf);
        return (raw >>> 1) ^ -(raw & 1);
    }

    @Override
    public int remaining() {
        return buf.readableBytes();
    }

    @Override
    public Readable slice() {
        return new ByteBufReadable(buf.slice());
    }

    @Override
    public String readString(int length) {
        checkLength(length);
        String s = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length);
        return s;
    }

    /** A view of the frame, not a copy: see the class comment for its lifetime. */
    @Override
    public MemoryRecords readRecords(int length) {
        if (length < 0) {
            return null;
        }
        checkLength(length);
        ByteBuffer view = buf.nioBufferCount() == 1
                ? buf.nioBuffer(buf.readerIndex(), length)
                // A composite frame (rare: only if a custom cumulator is installed) cannot be viewed
                // as one ByteBuffer; Netty copies it here.
                : buf.copy(buf.readerIndex(), length).nioBuffer();
        buf.skipBytes(length);
        return MemoryRecords.readableRecords(view.slice());
    }

    private void checkLength(int length) {
        if (length < 0 || length > buf.readableBytes()) {
            throw new IndexOutOfBoundsException(
                    "field of " + length + " bytes but only " + buf.readableBytes() + " remain in the request");
        }
    }
}
