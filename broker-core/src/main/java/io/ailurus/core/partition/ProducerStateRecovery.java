package io.ailurus.core.partition;

import io.ailurus.storage.PartitionLog;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a partition's producer state at open: the last snapshot, then every batch written after
 * it, so duplicate detection and open transactions survive restarts and crashes. When part of the
 * log's aborted-transaction index was missing, the whole log is replayed instead, which rebuilds it.
 */
final class ProducerStateRecovery {
    private static final Logger log = LoggerFactory.getLogger(ProducerStateRecovery.class);

    private ProducerStateRecovery() {}

    static void recover(ProducerStateManager producers, PartitionLog plog, Path snapshot) {
        long from = producers.loadSnapshot(snapshot);
        long end = plog.logEndOffset();
        long indexMissingFrom = plog.abortedTxnIndexMissingFrom();
        if (from < 0 || from > end || (indexMissingFrom >= 0 && indexMissingFrom < from)) {
            // No usable snapshot (first start, crash before one was written, the log was truncated below
            // it, or aborted-transaction index entries before it must be rebuilt): the whole log is the record.
            producers.reset();
            from = plog.logStartOffset();
        }
        long replayed = ProducerStateReplay.replay(producers, plog, from, end);
        if (indexMissingFrom >= 0) {
            plog.markAbortedTxnIndexComplete();
            log.info("{}: rebuilt the aborted-transaction index from offset {}", plog.name(), from);
        }
        // Everything recovered is durable: no transaction waits for its marker to commit.
        producers.onHighWatermark(end);
        if (replayed > 0) {
            log.debug("{}: rebuilt producer state from {} batches after offset {}", plog.name(), replayed, from);
        }
    }
}
