package io.ailurus.storage.format;

import java.nio.ByteBuffer;

/**
 * Reads and stamps the fields of a Kafka record batch (magic v2) header that storage needs. Layout
 * (big-endian): baseOffset 0 (8), batchLength 8 (4), partitionLeaderEpoch 12 (4), magic 16 (1), crc 17 (4),
 * attributes 21 (2), lastOffsetDelta 23 (4), baseTimestamp 27 (8), maxTimestamp 35 (8), producerId 43 (8),
 * producerEpoch 51 (2), baseSequence 53 (4), recordCount 57 (4); 61 bytes. The Kafka CRC covers bytes 21..end,
 * so baseOffset and partitionLeaderEpoch can be stamped without recomputing it.
 */
public final class BatchHeader {
    public static final int SIZE = 61;
    public static final int BASE_OFFSET = 0;
    public static final int BATCH_LENGTH = 8;
    public static final int LEADER_EPOCH = 12;
    public static final int MAGIC = 16;
    public static final int LAST_OFFSET_DELTA = 23;
    public static final int MAX_TIMESTAMP = 35;
    /** Bytes from the start of a batch that are enough to read every field used here. */
    public static final int NEEDED = MAX_TIMESTAMP + 8;

    private BatchHeader() {
    }

    /**
     * Checks that the bytes position..limit of {@code batch} are exactly one v2 batch; returns null when they are,
     * else a sentence saying what is wrong.
     */
    public static String validate(ByteBuffer batch) {
        int p = batch.position();
        int n = batch.remaining();
        if (n < SIZE) {
            return "a record batch needs at least " + SIZE + " bytes, got " + n;
        }
        byte magic = batch.get(p + MAGIC);
        if (magic != 2) {
            return "only record batch magic v2 is stored, got magic " + magic;
        }
        int batchLength = batch.getInt(p + BATCH_LENGTH);
        if (batchLength != n - 12) {
            return "batchLength field says " + batchLength + " but the buffer holds " + (n - 12) + " bytes after it";
        }
        int delta = batch.getInt(p + LAST_OFFSET_DELTA);
        if (delta < 0) {
            return "lastOffsetDelta is negative (" + delta + ")";
        }
        long base = batch.getLong(p + BASE_OFFSET);
        if (base < 0) {
            return "baseOffset is negative (" + base + ")";
        }
        return null;
    }

    public static long baseOffset(ByteBuffer buf, int at) {
        return buf.getLong(at + BASE_OFFSET);
    }

    public static long lastOffset(ByteBuffer buf, int at) {
        return buf.getLong(at + BASE_OFFSET) + buf.getInt(at + LAST_OFFSET_DELTA);
    }

    public static long maxTimestamp(ByteBuffer buf, int at) {
        return buf.getLong(at + MAX_TIMESTAMP);
    }

    /** Stamps baseOffset and partitionLeaderEpoch (both outside the Kafka CRC) in place. */
    public static void stamp(ByteBuffer batch, long baseOffset, int leaderEpoch) {
        int p = batch.position();
        batch.putLong(p + BASE_OFFSET, baseOffset);
        batch.putInt(p + LEADER_EPOCH, leaderEpoch);
    }
}
