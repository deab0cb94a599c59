package io.ailurus.raft.partition;

import java.nio.ByteBuffer;

/**
 * Reads and stamps the fields of a Kafka record batch (magic v2) header in place.
 *
 * <p>Only the fields outside the batch CRC are ever written here (base offset and partition
 * leader epoch), so stamping never invalidates a producer's checksum. All accesses are absolute
 * (relative to the buffer's position), so the buffer's position and limit are never moved.
 */
public final class KafkaBatchHeader {

    /** Offset of the int64 base offset. */
    static final int BASE_OFFSET = 0;
    /** Offset of the int32 batch length (bytes after this field). */
    static final int BATCH_LENGTH = 8;
    /** Offset of the int32 partition leader epoch; we store the Raft term there. */
    static final int PARTITION_LEADER_EPOCH = 12;
    /** Offset of the int8 magic. */
    static final int MAGIC = 16;
    /** Offset of the int32 last offset delta. */
    static final int LAST_OFFSET_DELTA = 23;
    /** Size of the v2 header: anything shorter is not a batch. */
    public static final int HEADER_SIZE = 61;
    /** The only batch format a DATA entry may carry. */
    public static final byte MAGIC_V2 = 2;
    /** Bytes of the header before the batch length field counts. */
    private static final int LOG_OVERHEAD = 12;

    private KafkaBatchHeader() {
    }

    /**
     * Checks that {@code batch} holds exactly one magic-v2 record batch.
     *
     * @throws InvalidBatchException with a message naming what is wrong
     */
    public static void validateSingleBatch(ByteBuffer batch) {
        int size = batch.remaining();
        if (size < HEADER_SIZE) {
            throw new InvalidBatchException("record batch too short: " + size + " bytes, a v2 header is "
                    + HEADER_SIZE);
        }
        byte magic = batch.get(batch.position() + MAGIC);
        if (magic != MAGIC_V2) {
            throw new InvalidBatchException("unsupported record batch magic " + magic + " (only v2 is accepted)");
        }
        int declared = batch.getInt(batch.position() + BATCH_LENGTH) + LOG_OVERHEAD;
        if (declared != size) {
            throw new InvalidBatchException("record batch length field says " + declared + " bytes but "
                    + size + " were given (exactly one batch per proposal)");
        }
        int delta = lastOffsetDelta(batch);
        if (delta < 0) {
            throw new InvalidBatchException("negative last offset delta " + delta);
        }
    }

    /** The batch's base offset. */
    public static long baseOffset(ByteBuffer batch) {
        return batch.getLong(batch.position() + BASE_OFFSET);
    }

    /** The batch's partition leader epoch (the Raft term that proposed it, once stamped). */
    public static int partitionLeaderEpoch(ByteBuffer batch) {
        return batch.getInt(batch.position() + PARTITION_LEADER_EPOCH);
    }

    /** Last offset delta: the batch covers offsets {@code [base, base + delta]}. */
    public static int lastOffsetDelta(ByteBuffer batch) {
        return batch.getInt(batch.position() + LAST_OFFSET_DELTA);
    }

    /** The offset after the batch's last record: the next batch's base offset. */
    public static long nextOffset(ByteBuffer batch) {
        return baseOffset(batch) + lastOffsetDelta(batch) + 1;
    }

    /** Writes the base offset and the leader epoch; both lie outside the CRC. */
    public static void stamp(ByteBuffer batch, long baseOffset, int partitionLeaderEpoch) {
        batch.putLong(batch.position() + BASE_OFFSET, baseOffset);
        batch.putInt(batch.position() + PARTITION_LEADER_EPOCH, partitionLeaderEpoch);
    }
}
