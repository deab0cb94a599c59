package io.ailurus.core.partition;

import io.ailurus.storage.AbortedTxn;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;

/** Builds COMMIT/ABORT control batches and converts index entries to what a Fetch response lists. */
final class TxnMarkers {
    private TxnMarkers() {}

    /** A control batch with one end-transaction marker record; the log stamps its offset. */
    static ByteBuffer batch(long producerId, short producerEpoch, boolean commit, int coordinatorEpoch, long timestamp) {
        EndTransactionMarker marker = new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
            coordinatorEpoch);
        return MemoryRecords.withEndTransactionMarker(0L, timestamp, 0, producerId, producerEpoch, marker).buffer();
    }

    static List<Partition.AbortedTransaction> toFetchView(List<AbortedTxn> entries) {
        List<Partition.AbortedTransaction> out = new ArrayList<>(entries.size());
        for (AbortedTxn t : entries) {
            out.add(new Partition.AbortedTransaction(t.producerId(), t.firstOffset()));
        }
        return out;
    }
}
