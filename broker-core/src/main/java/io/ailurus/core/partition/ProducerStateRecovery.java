package io.ailurus.core.partition;

import io.ailurus.storage.PartitionLog;
import java.nio.file.Path;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a partition's idempotent-producer state at open: the last snapshot, then every batch
 * written after it, so duplicate detection holds across restarts and crashes.
 */
final class ProducerStateRecovery {
    private static final Logger log = LoggerFactory.getLogger(ProducerStateRecovery.class);

    private ProducerStateRecovery() {}

    static void recover(ProducerStateManager producers, PartitionLog plog, Path snapshot) {
        long from = producers.loadSnapshot(snapshot);
        long end = plog.logEndOffset();
        if (from < 0 || from > end) {
            // No usable snapshot (first start, crash before one was written, or the log was truncated
            // below it): the whole log is the record.
            producers.reset();
            from = plog.logStartOffset();
        }
        long[] replayed = {0};
        LogBatches.forEachBatch(plog, from, end, batch -> {
            if (batch.baseOffset() < 0 || batch.lastOffset() < 0) {
                return;
            }
            if (batch.producerId() != RecordBatch.NO_PRODUCER_ID && !batch.isControlBatch()) {
                producers.record(new ProducerBatch(batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                    batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp()));
                replayed[0]++;
            }
        });
        if (replayed[0] > 0) {
            log.debug("{}: rebuilt producer state from {} batches after offset {}", plog.name(), replayed[0], from);
        }
    }
}
