package io.ailurus.core.partition;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What a partition remembers about one producer id: its current epoch and the metadata of its last
 * few batches, enough to answer a retried batch with its original offsets (duplicate detection) and to
 * reject a gap in sequence numbers. Kafka clients keep at most 5 batches in flight per partition, so
 * 5 remembered batches cover every possible retry.
 */
final class ProducerStateEntry {
    static final int BATCHES_TO_RETAIN = 5;

    private final long producerId;
    private short epoch;
    private long lastTimestamp;
    private final Deque<ProducerBatch> batches = new ArrayDeque<>(BATCHES_TO_RETAIN);

    ProducerStateEntry(long producerId, short epoch) {
        this.producerId = producerId;
        this.epoch = epoch;
    }

    long producerId() { return producerId; }

    short epoch() { return epoch; }

    long lastTimestamp() { return lastTimestamp; }

    List<ProducerBatch> batches() { return List.copyOf(batches); }

    /** Last written sequence under the current epoch, or {@link ProducerBatch#NO_SEQUENCE}. */
    int lastSequence() {
        ProducerBatch last = batches.peekLast();
        return last == null ? ProducerBatch.NO_SEQUENCE : last.lastSequence();
    }

    ProducerBatch findDuplicate(short batchEpoch, int firstSequence, int lastSequence) {
        for (ProducerBatch b : batches) {
            if (b.sameRange(batchEpoch, firstSequence, lastSequence)) {
                return b;
            }
        }
        return null;
    }

    void record(ProducerBatch batch) {
        if (batch.producerEpoch() != epoch) {
            // A new epoch starts a new sequence space: older batches can no longer be retried.
            batches.clear();
            epoch = batch.producerEpoch();
        }
        if (batches.size() == BATCHES_TO_RETAIN) {
            batches.removeFirst();
        }
        batches.addLast(batch);
        lastTimestamp = Math.max(lastTimestamp, batch.maxTimestamp());
    }
}
