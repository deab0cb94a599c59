package io.ailurus.raft;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/** Real Kafka record batches (built by Apache Kafka's own classes) for tests. */
public final class TestBatches {

    private TestBatches() {
    }

    /** One magic-v2 batch with {@code count} records whose values are {@code prefix-i}. */
    public static ByteBuffer batch(String prefix, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(1_700_000_000_000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    (prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }

    /** The batch parsed by Kafka's classes (checks that it is one whole batch). */
    public static RecordBatch parse(ByteBuffer bytes) {
        List<RecordBatch> batches = new ArrayList<>();
        MemoryRecords.readableRecords(bytes.duplicate()).batches().forEach(batches::add);
        if (batches.size() != 1) {
            throw new AssertionError("expected one batch, found " + batches.size());
        }
        return batches.get(0);
    }

    /** The record values of a batch, as strings. */
    public static List<String> values(ByteBuffer bytes) {
        List<String> values = new ArrayList<>();
        for (Record r : parse(bytes)) {
            values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
        }
        return values;
    }
}
