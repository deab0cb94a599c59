package io.ailurus.core.partition;

import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.ReadResult;
import io.ailurus.storage.ReadSlice;
import java.util.function.Consumer;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

/** Walks the record batches of a partition log in offset order (recovery, timestamp refinement). */
final class LogBatches {
    private static final int CHUNK_BYTES = 1 << 20;

    private LogBatches() {}

    /**
     * Calls {@code visitor} for every batch from the one containing {@code fromOffset} up to (excluding)
     * {@code endOffset}; stops early when the visitor returns false.
     */
    static void forEach(PartitionLog log, long fromOffset, long endOffset, java.util.function.Predicate<MutableRecordBatch> visitor) {
        long next = Math.max(fromOffset, log.logStartOffset());
        while (next < endOffset) {
            ReadResult r = log.read(next, CHUNK_BYTES, endOffset, true);
            if (r.isEmpty()) {
                return;
            }
            for (ReadSlice slice : r.slices()) {
                for (MutableRecordBatch batch : MemoryRecords.readableRecords(slice.toByteBuffer()).batches()) {
                    if (!visitor.test(batch)) {
                        return;
                    }
                }
            }
            next = r.nextOffset(endOffset);
        }
    }

    static void forEachBatch(PartitionLog log, long fromOffset, long endOffset, Consumer<MutableRecordBatch> visitor) {
        forEach(log, fromOffset, endOffset, b -> {
            visitor.accept(b);
            return true;
        });
    }
}
