package io.ailurus.storage;

import java.nio.ByteBuffer;

/** Zig-zag varints as Kafka's record format v2 writes them (protobuf's encoding). */
final class Varints {
    private Varints() {
    }

    static int readVarint(ByteBuffer b) {
        long v = readVarlong(b);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("varint out of range: " + v);
        }
        return (int) v;
    }

    static long readVarlong(ByteBuffer b) {
        long raw = 0;
        int shift = 0;
        while (true) {
            if (shift > 63) {
                throw new IllegalArgumentException("varint longer than 10 bytes");
            }
            byte x = b.get();
            raw |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        return (raw >>> 1) ^ -(raw & 1);
    }

    static void writeVarlong(ByteBuffer b, long v) {
        long raw = (v << 1) ^ (v >> 63);
        while ((raw & ~0x7fL) != 0) {
            b.put((byte) ((raw & 0x7f) | 0x80));
            raw >>>= 7;
        }
        b.put((byte) raw);
    }

    static int sizeOfVarlong(long v) {
        long raw = (v << 1) ^ (v >> 63);
        int n = 1;
        while ((raw & ~0x7fL) != 0) {
            n++;
            raw >>>= 7;
        }
        return n;
    }
}
