package io.ailurus.core.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;
import org.apache.kafka.common.utils.Crc32C;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free check of uncompressed batches ({@link UncompressedRecordsCheck}, through
 * {@link ProduceBatchValidator}) must decide exactly as Apache Kafka's own record reader: every batch
 * Kafka cannot read is refused (an unreadable stored batch stops every consumer), and no batch Kafka
 * reads is refused. Differential: every single-byte change of the records area (the CRC made to match)
 * is judged by both.
 */
class UncompressedRecordsCheckTest {
    private static final PartitionSettings DEFAULTS = PartitionSettings.defaults();
    private static final PartitionSettings COMPACTED = new PartitionSettings(DEFAULTS.logConfig(), DEFAULTS.maxMessageBytes(),
        DEFAULTS.timestampType(), DEFAULTS.timestampBeforeMaxMs(), DEFAULTS.timestampAfterMaxMs(), true);

    /** Keys, no key, headers (one with a null value), a null value, multi-byte varints (a 300-byte value). */
    private static ByteBuffer batch() {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        MemoryRecordsBuilder b = MemoryRecords.builder(buf, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
            TimestampType.CREATE_TIME, 0L, System.currentTimeMillis(), 77L, (short) 0, 5, false,
            RecordBatch.NO_PARTITION_LEADER_EPOCH);
        long now = System.currentTimeMillis();
        b.append(now, "k0".getBytes(StandardCharsets.UTF_8), "v0".getBytes(StandardCharsets.UTF_8),
            new Header[] {new RecordHeader("h", "x".getBytes(StandardCharsets.UTF_8)), new RecordHeader("n", null)});
        b.append(now + 1, null, new byte[300]);
        b.append(now + 2, "k2".getBytes(StandardCharsets.UTF_8), null);
        return b.build().buffer();
    }

    private static boolean kafkaReads(ByteBuffer batchBytes) {
        MutableRecordBatch batch = MemoryRecords.readableRecords(batchBytes.duplicate()).batches().iterator().next();
        int seen = 0;
        try (CloseableIterator<Record> it = batch.skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
            while (it.hasNext()) {
                if (it.next().offset() != batch.baseOffset() + seen) {
                    return false;
                }
                seen++;
            }
        } catch (RuntimeException e) {
            return false;
        }
        return seen == batch.countOrNull();
    }

    private static boolean weAccept(ByteBuffer batchBytes) {
        try {
            ProduceBatchValidator.validate(MemoryRecords.readableRecords(batchBytes.duplicate()), DEFAULTS,
                System.currentTimeMillis());
            return true;
        } catch (PartitionException e) {
            return false;
        }
    }

    private static void fixCrc(ByteBuffer b) {
        long crc = Crc32C.compute(b, DefaultRecordBatch.CRC_OFFSET + 4, b.limit() - DefaultRecordBatch.CRC_OFFSET - 4);
        b.putInt(DefaultRecordBatch.CRC_OFFSET, (int) crc);
    }

    @Test
    void everySingleByteChangeOfTheRecordsIsJudgedAsKafkaJudgesIt() {
        ByteBuffer original = batch();
        assertTrue(kafkaReads(original) && weAccept(original), "the unchanged batch is readable");
        int[] replacements = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff};
        int refused = 0;
        List<String> disagreements = new ArrayList<>();
        for (int pos = UncompressedRecordsCheck.RECORDS_OFFSET; pos < original.limit(); pos++) {
            for (int r : replacements) {
                if ((original.get(pos) & 0xff) == r) {
                    continue;
                }
                ByteBuffer changed = ByteBuffer.allocate(original.limit());
                changed.put(original.duplicate()).flip();
                changed.put(pos, (byte) r);
                fixCrc(changed);
                boolean kafka = kafkaReads(changed);
                boolean ours = weAccept(changed);
                if (kafka != ours) {
                    disagreements.add("byte " + pos + " = 0x" + Integer.toHexString(r) + ": kafka " + kafka + ", ours " + ours);
                }
                if (!ours) {
                    refused++;
                }
            }
        }
        assertEquals(List.of(), disagreements);
        assertTrue(refused > 100, "most changes of lengths and deltas must be refused, were " + refused);
    }

    @Test
    void batchesAfterTheFirstAreFoundWhereTheyStartInTheBuffer() {
        ByteBuffer one = batch();
        ByteBuffer bad = batch();
        bad.put(UncompressedRecordsCheck.RECORDS_OFFSET, (byte) 0x7f); // first record's length now runs past the batch
        fixCrc(bad);
        // Two batches behind 5 bytes of something else, in a slice of a direct buffer, as the network hands them over.
        ByteBuffer both = ByteBuffer.allocateDirect(5 + one.limit() + bad.limit());
        both.position(5);
        both.put(one.duplicate()).put(bad.duplicate()).flip().position(5);
        PartitionException e = assertThrows(PartitionException.class,
            () -> ProduceBatchValidator.validate(MemoryRecords.readableRecords(both.slice()), DEFAULTS, System.currentTimeMillis()));
        assertEquals(Errors.CORRUPT_MESSAGE, e.error());

        ByteBuffer good = ByteBuffer.allocateDirect(5 + 2 * one.limit());
        good.position(5);
        good.put(one.duplicate()).put(one.duplicate()).flip().position(5);
        assertEquals(2, ProduceBatchValidator.validate(MemoryRecords.readableRecords(good.slice()), DEFAULTS,
            System.currentTimeMillis()).size());
    }

    @Test
    void aCompactedTopicRefusesTheKeylessRecord() {
        PartitionException e = assertThrows(PartitionException.class,
            () -> ProduceBatchValidator.validate(MemoryRecords.readableRecords(batch()), COMPACTED, System.currentTimeMillis()));
        assertEquals(Errors.INVALID_RECORD, e.error());
        assertTrue(e.getMessage().contains("record 1"), e.getMessage());
    }
}
