package io.ailurus.storage.format;

import io.ailurus.storage.EntryType;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The 32-byte header written before every entry's payload (big-endian):
 * <pre>
 *  0  int   crc32c     over header bytes 4..31 followed by the payload
 *  4  int   length     payload length in bytes
 *  8  byte  version    format version, currently 1 (never 0)
 *  9  byte  type       EntryType code (never 0)
 * 10  short reserved   0
 * 12  long  index      Raft index
 * 20  long  term       Raft term
 * 28  int   salt       the segment file's salt: the same in every entry of one use of a file (0 in files
 *                      written before salts existed)
 * </pre>
 * A zero-filled (preallocated) area decodes with version 0 and is recognised as "no entry here"; a torn write
 * fails the CRC; a stale entry left behind fails the caller's "index == previous + 1" check. A segment file is
 * recycled (reused for a new segment after retention deleted its old one) with a fresh salt, so an intact entry
 * left from its earlier use, even one whose index happens to be the expected one, is told apart by its salt. The
 * payload follows the header verbatim so a Kafka batch can be sent as a file region of exactly its bytes.
 */
public record EntryHeader(int crc, int length, int version, EntryType type, long index, long term, int salt) {

    public static final int SIZE = 32;
    public static final byte VERSION = 1;

    /** How a header candidate read from disk looks. */
    public enum Shape {
        /** All header bytes are zero: the end of the written part of a preallocated file. */
        ZEROS,
        /** Version and type are known and the length is plausible; the CRC still has to be checked. */
        PLAUSIBLE,
        /** Anything else: garbage or a torn header. */
        GARBAGE
    }

    /** Writes a complete header with salt 0 (a file that is never recycled); see the salted overload. */
    public static void write(ByteBuffer dst, EntryType type, long index, long term, ByteBuffer payload) {
        write(dst, type, index, term, payload, 0);
    }

    /** Writes a complete header (CRC included) for {@code payload} at {@code dst}'s position..+32; advances dst. */
    public static void write(ByteBuffer dst, EntryType type, long index, long term, ByteBuffer payload, int salt) {
        int start = dst.position();
        dst.putInt(0).putInt(payload.remaining()).put(VERSION).put(type.code()).putShort((short) 0)
                .putLong(index).putLong(term).putInt(salt);
        CRC32C crc = new CRC32C();
        crc.update(dst.duplicate().position(start + 4).limit(start + SIZE));
        crc.update(payload.duplicate());
        dst.putInt(start, (int) crc.getValue());
    }

    /** Classifies the 32 bytes at {@code buf}'s absolute position {@code at}, given the largest payload allowed. */
    public static Shape shape(ByteBuffer buf, int at, int maxLength) {
        boolean zeros = true;
        for (int i = 0; i < SIZE; i += 8) {
            if (buf.getLong(at + i) != 0) {
                zeros = false;
                break;
            }
        }
        if (zeros) {
            return Shape.ZEROS;
        }
        int length = buf.getInt(at + 4);
        if (buf.get(at + 8) != VERSION || EntryType.fromCode(buf.get(at + 9)) == null
                || length < 0 || length > maxLength || buf.getShort(at + 10) != 0) {
            return Shape.GARBAGE;
        }
        return Shape.PLAUSIBLE;
    }

    /** Decodes the header at absolute position {@code at}; call only on a {@link Shape#PLAUSIBLE} header. */
    public static EntryHeader read(ByteBuffer buf, int at) {
        return new EntryHeader(buf.getInt(at), buf.getInt(at + 4), buf.get(at + 8),
                EntryType.fromCode(buf.get(at + 9)), buf.getLong(at + 12), buf.getLong(at + 20),
                buf.getInt(at + 28));
    }

    /** True when the CRC in the header at {@code header}'s absolute position {@code at} matches it and {@code payload}. */
    public static boolean crcMatches(ByteBuffer header, int at, ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(header.duplicate().limit(at + SIZE).position(at + 4));
        crc.update(payload.duplicate());
        return (int) crc.getValue() == header.getInt(at);
    }

    /** The bytes this entry occupies on disk. */
    public int totalSize() {
        return SIZE + length;
    }
}
