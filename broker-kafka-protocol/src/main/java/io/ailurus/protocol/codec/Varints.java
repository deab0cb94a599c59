package io.ailurus.protocol.codec;

import io.netty.buffer.ByteBuf;

/**
 * Unsigned LEB128 varints as the Kafka protocol uses them (compact lengths, tagged fields, record
 * fields). Signed values are zig-zag encoded by the callers.
 */
public final class Varints {
    private Varints() {
    }

    /** Reads an unsigned varint of at most 5 bytes; a longer one is a malformed request. */
    public static int readUnsignedVarint(ByteBuf buf) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = buf.readByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    /** Reads an unsigned varlong of at most 10 bytes; a longer one is a malformed request. */
    public static long readUnsignedVarlong(ByteBuf buf) {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = buf.readByte();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varlong longer than 10 bytes");
    }

    /** Writes {@code value} as an unsigned varint (1..5 bytes). */
    public static void writeUnsignedVarint(ByteBuf buf, int value) {
        while ((value & ~0x7f) != 0) {
            buf.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        buf.writeByte(value);
    }

    /** Writes {@code value} as an unsigned varlong (1..10 bytes). */
    public static void writeUnsignedVarlong(ByteBuf buf, long value) {
        while ((value & ~0x7fL) != 0) {
            buf.writeByte((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        buf.writeByte((int) value);
    }
}
