package io.ailurus.core.partition;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

/**
 * Checks the record batches of a produce request before they touch the log, the way Kafka's broker
 * does, and prepares them for appending.
 *
 * <p>Compressed batches are stored as they are (no recompression): the batch CRC covers the
 * compressed bytes, so a CRC check proves they arrived intact. They are still decompressed once, and
 * every record parsed, because a CRC cannot tell a well-formed batch from a client's garbage and a
 * stored unreadable batch stops every consumer of the partition (see {@code checkRecords}). With
 * {@code message.timestamp.type=LogAppendTime} the batch's max timestamp is set to the broker's clock
 * (the batch CRC is recomputed; the records keep their deltas, which readers ignore for that type).
 */
public final class ProduceBatchValidator {
    /**
     * Decompression buffers, reused per thread: validation runs on the shard threads, and a
     * BufferSupplier is not thread-safe.
     */
    private static final ThreadLocal<BufferSupplier> DECOMPRESSION_BUFFERS = ThreadLocal.withInitial(BufferSupplier::create);

    private ProduceBatchValidator() {}

    /**
     * One validated batch, ready to append, plus the fields idempotence needs. Its bytes come two ways:
     * {@link #buffer()}, the batch's own copy, for a caller that keeps them beyond the request (a Raft
     * proposal stays in jraft's memory after the answer), and {@link #requestView()}, the request's own bytes,
     * for a caller that is done with them before it returns (the local log copies the batch as it appends).
     * The copy is made on first use only: on a single-replica partition every batch used to be copied twice.
     */
    public static final class ValidatedBatch {
        private final ByteBuffer view;
        private ByteBuffer owned;
        private final long producerId;
        private final short producerEpoch;
        private final int baseSequence;
        private final int lastSequence;
        private final int recordCount;
        private final long maxTimestamp;
        private final boolean transactional;

        ValidatedBatch(ByteBuffer view, ByteBuffer owned, long producerId, short producerEpoch, int baseSequence,
                       int lastSequence, int recordCount, long maxTimestamp, boolean transactional) {
            this.view = view;
            this.owned = owned;
            this.producerId = producerId;
            this.producerEpoch = producerEpoch;
            this.baseSequence = baseSequence;
            this.lastSequence = lastSequence;
            this.recordCount = recordCount;
            this.maxTimestamp = maxTimestamp;
            this.transactional = transactional;
        }

        /** The batch in a buffer of its own (copied on the first call), valid after the request is released. */
        public ByteBuffer buffer() {
            if (owned == null) {
                owned = ByteBuffer.allocate(view.remaining());
                owned.put(view.duplicate()).flip();
            }
            return owned;
        }

        /**
         * The batch's bytes, writable (the log stamps the base offset in place), valid only until the produce
         * request is released: for a caller that copies them before it returns. A read-only request buffer
         * (only tests build those) gets the copy instead.
         */
        public ByteBuffer requestView() {
            return owned != null || view.isReadOnly() ? buffer() : view.duplicate();
        }

        public long producerId() {
            return producerId;
        }

        public short producerEpoch() {
            return producerEpoch;
        }

        public int baseSequence() {
            return baseSequence;
        }

        public int lastSequence() {
            return lastSequence;
        }

        public int recordCount() {
            return recordCount;
        }

        public long maxTimestamp() {
            return maxTimestamp;
        }

        public boolean transactional() {
            return transactional;
        }
    }

    public static List<ValidatedBatch> validate(MemoryRecords records, PartitionSettings settings, long nowMs) {
        List<ValidatedBatch> out = new ArrayList<>(1);
        int total = 0;
        ByteBuffer bytes = records.buffer();
        for (MutableRecordBatch batch : records.batches()) {
            // Batches follow each other from the buffer's position: this one starts where the last ended.
            out.add(validateOne(batch, bytes, bytes.position() + total, settings, nowMs));
            total += batch.sizeInBytes();
        }
        if (total != records.sizeInBytes()) {
            throw new PartitionException(Errors.CORRUPT_MESSAGE,
                "record set has " + (records.sizeInBytes() - total) + " trailing bytes that are not a whole batch");
        }
        if (out.isEmpty()) {
            throw new PartitionException(Errors.INVALID_RECORD, "produce request carries no record batch");
        }
        return out;
    }

    private static ValidatedBatch validateOne(MutableRecordBatch batch, ByteBuffer bytes, int batchStart,
                                              PartitionSettings settings, long nowMs) {
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            throw new PartitionException(Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT,
                "record batch magic " + batch.magic() + " is not supported; only v2 batches (Kafka 0.11+ clients) are");
        }
        try {
            batch.ensureValid();
        } catch (CorruptRecordException | InvalidRecordException e) {
            throw new PartitionException(Errors.CORRUPT_MESSAGE, "record batch failed validation: " + e.getMessage());
        }
        if (batch.sizeInBytes() > settings.maxMessageBytes()) {
            throw new PartitionException(Errors.MESSAGE_TOO_LARGE, "record batch of " + batch.sizeInBytes()
                + " bytes exceeds max.message.bytes=" + settings.maxMessageBytes());
        }
        Integer count = batch.countOrNull();
        if (count == null || count <= 0) {
            throw new PartitionException(Errors.INVALID_RECORD, "record batch declares no records");
        }
        if (batch.isTransactional() && batch.producerId() == RecordBatch.NO_PRODUCER_ID) {
            throw new PartitionException(Errors.INVALID_RECORD, "a transactional record batch must carry a producer id");
        }
        if (batch.isControlBatch()) {
            throw new PartitionException(Errors.INVALID_RECORD, "clients may not write control batches");
        }
        if ((long) batch.lastOffset() - batch.baseOffset() != count - 1) {
            throw new PartitionException(Errors.INVALID_RECORD, "record batch last offset delta "
                + (batch.lastOffset() - batch.baseOffset()) + " does not match its " + count + " records");
        }
        if (batch.compressionType() == CompressionType.NONE) {
            // The same checks without a record object per record (the produce hot path; see the class).
            UncompressedRecordsCheck.check(bytes, batchStart, batch.sizeInBytes(), count, settings.compacted());
        } else {
            checkRecords(batch, count, settings.compacted());
        }
        if (settings.timestampType() == TimestampType.CREATE_TIME) {
            checkTimestamp(batch.maxTimestamp(), settings, nowMs);
        }
        ByteBuffer view = bytes.duplicate().limit(batchStart + batch.sizeInBytes()).position(batchStart).slice();
        ByteBuffer owned = null;
        long maxTimestamp = batch.maxTimestamp();
        if (settings.timestampType() == TimestampType.LOG_APPEND_TIME) {
            // The broker's clock goes into the batch: into a copy, never into the client's request bytes.
            owned = ownedCopy(batch);
            MutableRecordBatch stamped = MemoryRecords.readableRecords(owned.duplicate()).batches().iterator().next();
            stamped.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
            maxTimestamp = nowMs;
        }
        int lastSequence = batch.baseSequence() == RecordBatch.NO_SEQUENCE ? RecordBatch.NO_SEQUENCE
            : DefaultRecordBatch.incrementSequence(batch.baseSequence(), count - 1);
        return new ValidatedBatch(view, owned, batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
            lastSequence, count, maxTimestamp, batch.isTransactional());
    }

    /**
     * Parses every record of a compressed batch, decompressing it, as Kafka's broker does. The
     * CRC only proves the bytes are the ones the client sent; a client that sent a batch whose records
     * do not parse (or number fewer than its header says) would otherwise have it stored, and every
     * consumer of the partition would stop at that offset. Keys and values are skipped, not copied.
     */
    private static void checkRecords(MutableRecordBatch batch, int count, boolean compacted) {
        int seen = 0;
        try (CloseableIterator<Record> records = batch.skipKeyValueIterator(DECOMPRESSION_BUFFERS.get())) {
            while (records.hasNext()) {
                Record r = records.next();
                if (r.offset() != batch.baseOffset() + seen) {
                    throw new PartitionException(Errors.INVALID_RECORD, "record " + seen + " of the batch has offset delta "
                        + (r.offset() - batch.baseOffset()) + "; deltas must count up from 0");
                }
                if (compacted && !r.hasKey()) {
                    // Compaction keeps the latest record per key: a keyless record has no place in it (Kafka refuses it too).
                    throw new PartitionException(Errors.INVALID_RECORD, "Compacted topic cannot accept message without key"
                        + " (record " + seen + " of the batch has none; cleanup.policy includes compact)");
                }
                seen++;
            }
        } catch (InvalidRecordException | CorruptRecordException e) {
            throw new PartitionException(Errors.CORRUPT_MESSAGE, "record batch holds unreadable records: " + e.getMessage());
        } catch (KafkaException e) {
            // Decompression failures arrive wrapped (an EOFException or a codec's own error inside).
            throw new PartitionException(Errors.CORRUPT_MESSAGE, "record batch does not decompress with its codec "
                + batch.compressionType() + ": " + e.getMessage());
        }
        if (seen != count) {
            throw new PartitionException(Errors.CORRUPT_MESSAGE, "record batch declares " + count + " records but holds " + seen);
        }
    }

    private static void checkTimestamp(long timestamp, PartitionSettings settings, long nowMs) {
        if (timestamp < 0) {
            return; // -1: the producer set no timestamp; Kafka accepts it
        }
        if (nowMs - timestamp > settings.timestampBeforeMaxMs()) {
            throw new PartitionException(Errors.INVALID_TIMESTAMP, "timestamp " + timestamp
                + " is more than message.timestamp.before.max.ms=" + settings.timestampBeforeMaxMs() + " in the past");
        }
        if (timestamp - nowMs > settings.timestampAfterMaxMs()) {
            throw new PartitionException(Errors.INVALID_TIMESTAMP, "timestamp " + timestamp
                + " is more than message.timestamp.after.max.ms=" + settings.timestampAfterMaxMs() + " in the future");
        }
    }

    /** A heap copy of the batch (the request buffer belongs to the network layer, released after the request). */
    private static ByteBuffer ownedCopy(MutableRecordBatch batch) {
        ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
        batch.writeTo(copy);
        copy.flip();
        return copy;
    }
}
