package io.ailurus.core.partition;

import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.Errors;

/**
 * Walks the records of an uncompressed v2 record batch in place and proves they are well formed, the way
 * a reader would need them: every record's length prefix, attributes, timestamp delta, offset delta (0, 1,
 * 2, ... in order), key, value and headers fit exactly in its declared length, the records number exactly
 * the batch's count and fill the batch to its last byte.
 *
 * <p>Why not Kafka's record iterator: it builds a record object, key/value buffer views and a header
 * array for every record only for this check to drop them; on the produce path that was an allocation
 * per record on the shard threads (see docs/benchmarks.md, "Produce validation"). This reads varints from
 * absolute positions and allocates nothing. Compressed batches still go through Kafka's iterator, which
 * has to decompress them anyway.
 */
final class UncompressedRecordsCheck {
    /** Where the records start in a v2 batch: the fixed batch header is 61 bytes. */
    static final int RECORDS_OFFSET = 61;

    private final ByteBuffer buf;
    private final int end;
    private final boolean requireKeys;
    private int pos;

    private UncompressedRecordsCheck(ByteBuffer buf, int start, int end, boolean requireKeys) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.requireKeys = requireKeys;
    }

    /**
     * Checks the {@code count} records of the batch that occupies {@code buf[batchStart, batchStart + batchSize)}
     * (absolute indexes; the buffer's position and limit are not used or changed).
     *
     * @param requireKeys refuse keyless records (a compacted topic)
     * @throws PartitionException CORRUPT_MESSAGE for bytes that do not parse as records, INVALID_RECORD for
     *                            offset deltas that do not count up from 0 or a keyless record when keys are required
     */
    static void check(ByteBuffer buf, int batchStart, int batchSize, int count, boolean requireKeys) {
        UncompressedRecordsCheck walk = new UncompressedRecordsCheck(buf, batchStart + RECORDS_OFFSET, batchStart + batchSize,
            requireKeys);
        for (int i = 0; i < count; i++) {
            walk.record(i);
        }
        if (walk.pos != walk.end) {
            throw corrupt("record batch declares " + count + " records but " + (walk.end - walk.pos)
                + " bytes remain after them");
        }
    }

    private void record(int index) {
        int length = varint();
        if (length < 0 || length > end - pos) {
            throw corrupt("record " + index + " has length " + length + " but " + (end - pos) + " bytes remain in the batch");
        }
        int recordEnd = pos + length;
        nextByte(recordEnd); // attributes: unused in v2 records
        varlong(recordEnd); // timestamp delta
        int offsetDelta = varint(recordEnd);
        if (offsetDelta != index) {
            throw new PartitionException(Errors.INVALID_RECORD, "record " + index + " of the batch has offset delta "
                + offsetDelta + "; deltas must count up from 0");
        }
        int keySize = varint(recordEnd);
        if (requireKeys && keySize < 0) {
            // Compaction keeps the latest record per key: a keyless record has no place in it (Kafka refuses it too).
            throw new PartitionException(Errors.INVALID_RECORD, "Compacted topic cannot accept message without key"
                + " (record " + index + " of the batch has none; cleanup.policy includes compact)");
        }
        skipBytes(recordEnd, keySize, true, index, "key");
        skipBytes(recordEnd, varint(recordEnd), true, index, "value");
        int headers = varint(recordEnd);
        if (headers < 0) {
            throw corrupt("record " + index + " has a negative header count " + headers);
        }
        for (int h = 0; h < headers; h++) {
            skipBytes(recordEnd, varint(recordEnd), false, index, "header key");
            skipBytes(recordEnd, varint(recordEnd), true, index, "header value");
        }
        if (pos != recordEnd) {
            throw corrupt("record " + index + " declares " + length + " bytes but its fields take "
                + (length - (recordEnd - pos)));
        }
    }

    private void skipBytes(int limit, int size, boolean nullable, int index, String what) {
        if (size < 0) {
            // Kafka's reader takes any negative key or value size as null; only a header key may not be null.
            if (nullable) {
                return;
            }
            throw corrupt("record " + index + " has an invalid " + what + " size " + size);
        }
        if (size > limit - pos) {
            throw corrupt("record " + index + "'s " + what + " of " + size + " bytes runs past the record's end");
        }
        pos += size;
    }

    private byte nextByte(int limit) {
        if (pos >= limit) {
            throw corrupt("a record ends inside its fields");
        }
        return buf.get(pos++);
    }

    /** The record length prefix: bounded by the batch's end. */
    private int varint() {
        return varint(end);
    }

    /** A zig-zag varint of at most 5 bytes, none of them at or past {@code limit}. */
    private int varint(int limit) {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = nextByte(limit);
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw corrupt("a varint runs longer than 5 bytes");
    }

    /** A zig-zag varlong of at most 10 bytes; only its extent matters here. */
    private void varlong(int limit) {
        for (int i = 0; i < 10; i++) {
            if ((nextByte(limit) & 0x80) == 0) {
                return;
            }
        }
        throw corrupt("a varlong runs longer than 10 bytes");
    }

    private static PartitionException corrupt(String why) {
        return new PartitionException(Errors.CORRUPT_MESSAGE, "record batch holds unreadable records: " + why);
    }
}
