package io.ailurus.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds real Kafka record batches (v2) with Apache Kafka's own builder, and reads them back. */
final class Batches {
    private Batches() {
    }

    /** A batch of {@code records} records at {@code baseOffset}, timestamps ts, ts+1, ..., values of valueSize random bytes. */
    static ByteBuffer batch(long baseOffset, int records, long timestamp, int valueSize, Random random) {
        ByteBuffer buf = ByteBuffer.allocate(128 + records * (valueSize + 64));
        MemoryRecordsBuilder b = MemoryRecords.builder(buf, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
                TimestampType.CREATE_TIME, baseOffset);
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[valueSize];
            random.nextBytes(value);
            b.append(timestamp + i, ("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        return b.build().buffer();
    }

    static ByteBuffer batch(long baseOffset, int records, long timestamp) {
        return batch(baseOffset, records, timestamp, 16, new Random(baseOffset));
    }

    /** Parses a buffer holding exactly one batch, checking its Kafka CRC. */
    static RecordBatch parse(ByteBuffer bytes) {
        List<RecordBatch> list = new ArrayList<>();
        for (RecordBatch b : MemoryRecords.readableRecords(bytes.duplicate()).batches()) {
            b.ensureValid();
            list.add(b);
        }
        if (list.size() != 1) {
            throw new AssertionError("expected one batch, found " + list.size());
        }
        return list.getFirst();
    }

    /** Reads all slices of a result into one list of heap buffers. */
    static List<ByteBuffer> bytes(ReadResult r) {
        List<ByteBuffer> out = new ArrayList<>();
        for (ReadSlice s : r.slices()) {
            out.add(s.toByteBuffer());
        }
        return out;
    }
}
