package io.ailurus.bench.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One real Kafka v2 record batch (uncompressed, as a producer with {@code compression.type=none} sends it), built
 * once with Apache Kafka's own builder. Appenders append copies of it, so the benchmark measures storage, not batch
 * building. The values are random bytes so that nothing along the way could profit from zeros.
 */
final class RecordBatchTemplate {
    private final ByteBuffer batch;
    private final int records;

    RecordBatchTemplate(int records, int valueBytes) {
        this.records = records;
        ByteBuffer buf = ByteBuffer.allocate(256 + records * (valueBytes + 64));
        MemoryRecordsBuilder b = MemoryRecords.builder(buf, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
                TimestampType.CREATE_TIME, 0L);
        SplittableRandom random = new SplittableRandom(42);
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[valueBytes];
            random.nextBytes(value);
            b.append(now, ("key-" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        this.batch = b.build().buffer().asReadOnlyBuffer();
    }

    /** Bytes of one batch (header and records), what the log stores as the entry's payload. */
    int sizeInBytes() {
        return batch.remaining();
    }

    int records() {
        return records;
    }

    /** A private, writable copy (the log stamps the base offset and leader epoch into it in place). */
    ByteBuffer copy() {
        ByteBuffer c = ByteBuffer.allocate(batch.remaining());
        c.put(batch.duplicate()).flip();
        return c;
    }
}
