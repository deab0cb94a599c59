package io.ailurus.core.partition;

import io.ailurus.storage.PartitionLog;
import java.util.Iterator;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Applies batches read back from a partition log to its producer state, exactly as appending them did:
 * data batches of idempotent/transactional producers, and COMMIT/ABORT markers, whose aborted
 * transactions are (re)added to the log's aborted-transaction index (idempotent, so replaying a range
 * already indexed is harmless). Used at open (after the snapshot) and when a replica becomes leader.
 */
final class ProducerStateReplay {
    private ProducerStateReplay() {}

    /** Replays the batches of {@code [from, end)}; returns how many batches changed producer state. */
    static long replay(ProducerStateManager producers, PartitionLog plog, long from, long end) {
        long[] applied = {0};
        LogBatches.forEachBatch(plog, from, end, batch -> {
            if (apply(producers, plog, batch)) {
                applied[0]++;
            }
        });
        return applied[0];
    }

    static boolean apply(ProducerStateManager producers, PartitionLog plog, MutableRecordBatch batch) {
        if (batch.baseOffset() < 0 || batch.lastOffset() < 0 || batch.producerId() == RecordBatch.NO_PRODUCER_ID) {
            return false;
        }
        if (!batch.isControlBatch()) {
            producers.record(new ProducerBatch(batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), batch.maxTimestamp()), batch.isTransactional());
            return true;
        }
        Iterator<Record> records = batch.iterator();
        if (!records.hasNext()) {
            return false;
        }
        Record record = records.next();
        ControlRecordType type = ControlRecordType.parse(record.key());
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
            return false;
        }
        EndTransactionMarker marker = EndTransactionMarker.deserialize(record);
        ProducerStateManager.CompletedTxn done = producers.completeTransaction(batch.producerId(), batch.producerEpoch(),
            type == ControlRecordType.COMMIT, marker.coordinatorEpoch(), batch.baseOffset(), batch.maxTimestamp());
        if (done.aborted()) {
            plog.appendAbortedTxn(done.toAbortedTxn());
        }
        return true;
    }
}
