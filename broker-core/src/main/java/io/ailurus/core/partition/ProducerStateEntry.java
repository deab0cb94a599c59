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
    /** Epoch of the transaction coordinator that last ended one of this producer's transactions here, or -1. */
    private int coordinatorEpoch = -1;
    /** First offset of the producer's open transaction on this partition, or -1. */
    private long currentTxnFirstOffset = -1;
    /** Markers applied since this entry was created (not persisted: a guard token, compared within one process). */
    private long markerCount;
    private final Deque<ProducerBatch> batches = new ArrayDeque<>(BATCHES_TO_RETAIN);

    ProducerStateEntry(long producerId, short epoch) {
        this.producerId = producerId;
        this.epoch = epoch;
    }

    long producerId() { return producerId; }

    short epoch() { return epoch; }

    long lastTimestamp() { return lastTimestamp; }

    List<ProducerBatch> batches() { return List.copyOf(batches); }

    int coordinatorEpoch() { return coordinatorEpoch; }

    long currentTxnFirstOffset() { return currentTxnFirstOffset; }

    long markerCount() { return markerCount; }

    void restoreTransactionState(int coordinatorEpoch, long currentTxnFirstOffset, long lastTimestamp) {
        this.coordinatorEpoch = coordinatorEpoch;
        this.currentTxnFirstOffset = currentTxnFirstOffset;
        this.lastTimestamp = Math.max(this.lastTimestamp, lastTimestamp);
    }

    void beginTransaction(long firstOffset) {
        currentTxnFirstOffset = firstOffset;
    }

    /**
     * A COMMIT/ABORT marker written for this producer: the transaction ends, the coordinator epoch is
     * remembered, and a newer producer epoch (the coordinator fenced the producer) starts a new
     * sequence space.
     */
    void endTransaction(short markerEpoch, int markerCoordinatorEpoch, long timestamp) {
        if (markerEpoch != epoch) {
            batches.clear();
            epoch = markerEpoch;
        }
        coordinatorEpoch = markerCoordinatorEpoch;
        currentTxnFirstOffset = -1;
        markerCount++;
        lastTimestamp = Math.max(lastTimestamp, timestamp);
    }

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
