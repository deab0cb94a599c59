package io.ailurus.core.partition;

import io.ailurus.storage.PartitionLog;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.TimestampType;

/**
 * ListOffsets by timestamp wants the first <em>record</em> with a timestamp at or after the target;
 * the log's time index finds the batch, this finds the record inside it (decompressing if needed).
 */
final class RecordTimestamps {
    private RecordTimestamps() {}

    static Partition.OffsetAndTimestamp firstAtOrAfter(PartitionLog plog, long fromBatchOffset, long timestamp, long endOffset) {
        Partition.OffsetAndTimestamp[] found = {null};
        // DeleteRecords can move the log start into the middle of a batch: the records before it are
        // still in the file but deleted for clients, so no answer may name them.
        long logStart = plog.logStartOffset();
        LogBatches.forEach(plog, fromBatchOffset, endOffset, batch -> {
            if (batch.maxTimestamp() < timestamp || batch.lastOffset() < logStart) {
                return true;
            }
            if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
                found[0] = new Partition.OffsetAndTimestamp(Math.max(batch.baseOffset(), logStart), batch.maxTimestamp(), -1);
                return false;
            }
            for (Record r : batch) {
                if (r.offset() >= logStart && r.timestamp() >= timestamp) {
                    found[0] = new Partition.OffsetAndTimestamp(r.offset(), r.timestamp(), -1);
                    return false;
                }
            }
            return true;
        });
        return found[0];
    }
}
