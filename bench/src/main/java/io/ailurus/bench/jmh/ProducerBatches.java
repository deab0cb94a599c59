package io.ailurus.bench.jmh;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Record batches shaped like the ones Kafka's ProducerPerformance sends in the side-by-side benchmark:
 * keyless records whose values are random upper-case letters (so compression gains what it would on
 * that tool's payload, neither more nor less), idempotent producer fields set, built by Apache Kafka's
 * own {@link MemoryRecordsBuilder}.
 */
public final class ProducerBatches {
    private ProducerBatches() {}

    /** One v2 batch of {@code records} values of {@code valueBytes}, compressed with {@code compression}. */
    public static ByteBuffer batch(int records, int valueBytes, CompressionType compression, long producerId, int baseSequence) {
        ByteBuffer buf = ByteBuffer.allocate(512 + records * (valueBytes + 32));
        MemoryRecordsBuilder b = MemoryRecords.builder(buf, RecordBatch.MAGIC_VALUE_V2, Compression.of(compression).build(),
            TimestampType.CREATE_TIME, 0L, System.currentTimeMillis(), producerId, (short) 0, baseSequence, false,
            RecordBatch.NO_PARTITION_LEADER_EPOCH);
        SplittableRandom random = new SplittableRandom(7);
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[valueBytes];
            for (int j = 0; j < valueBytes; j++) {
                value[j] = (byte) ('A' + random.nextInt(26));
            }
            b.append(now, null, value);
        }
        return b.build().buffer();
    }

    /** The same bytes in a direct buffer, as a request's records sit in Netty's pooled direct memory. */
    public static ByteBuffer direct(ByteBuffer heap) {
        ByteBuffer d = ByteBuffer.allocateDirect(heap.remaining());
        d.put(heap.duplicate()).flip();
        return d;
    }
}
