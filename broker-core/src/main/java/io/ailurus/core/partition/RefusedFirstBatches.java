package io.ailurus.core.partition;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Batches of idempotent producers that a replicated partition refused without writing them (not
 * leader yet, leadership transfer, a failed proposal), remembered so that a later batch of the same
 * producer cannot get in ahead of them.
 *
 * <p>Why: a producer this partition has no state for may start at any sequence (as in Kafka, whose
 * producer state can be lost to retention, KIP-360). A producer pipelines up to five requests per
 * connection; if the first is refused (this replica is not serving yet) and the second arrives just
 * after leadership starts, the second would be written with no state to check it against, and the
 * retried first batch would then be out of order for good: the producer stalls on
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER}. Seen at topic creation with 256 RF=3 partitions, where
 * producers send while the groups still elect their leaders.
 *
 * <p>So a producer unknown to the partition's state must start at or below the lowest sequence
 * refused to it; later batches are refused retriably ({@code NOT_LEADER_OR_FOLLOWER}: the client
 * refreshes metadata and resends its batches in sequence order). Once the producer has state at that
 * epoch, sequence checks take over and the entry is dropped. Entries live across leadership changes
 * (a replica can refuse as a follower and then become leader between two pipelined requests) and
 * expire after {@link #RETAIN_MS}, the producer's default delivery timeout, after which the client
 * has given the refused batch up. Owner-thread only.
 */
final class RefusedFirstBatches {
    /** Kafka's default {@code delivery.timeout.ms}. */
    static final long RETAIN_MS = 120_000;
    /** A bound on memory when many short-lived producers are refused: the oldest entries go first. */
    static final int MAX_ENTRIES = 4096;

    private record Refusal(short epoch, int firstSequence, long atMs) {}

    private final Map<Long, Refusal> refused = new HashMap<>();

    /** Remembers the first idempotent batch of {@code records}, refused unwritten at {@code nowMs}. */
    void refused(MemoryRecords records, long nowMs) {
        Iterator<MutableRecordBatch> it = records.batches().iterator();
        if (it.hasNext()) {
            MutableRecordBatch b = it.next();
            refused(b.producerId(), b.producerEpoch(), b.baseSequence(), nowMs);
        }
    }

    /** Remembers a refused batch of {@code producerId} starting at {@code firstSequence}. */
    void refused(long producerId, short epoch, int firstSequence, long nowMs) {
        if (producerId == RecordBatch.NO_PRODUCER_ID || firstSequence == RecordBatch.NO_SEQUENCE) {
            return;
        }
        Refusal before = refused.get(producerId);
        if (before != null && before.epoch() == epoch && before.firstSequence() <= firstSequence
                && nowMs - before.atMs() < RETAIN_MS) {
            return; // an earlier sequence of this epoch is still owed
        }
        if (before == null && refused.size() >= MAX_ENTRIES) {
            evictOldest(nowMs);
        }
        refused.put(producerId, new Refusal(epoch, firstSequence, nowMs));
    }

    /**
     * Checks a batch about to be written.
     *
     * @param producerKnown whether the partition's producer state has {@code producerId} at {@code epoch}
     * @throws PartitionException {@code NOT_LEADER_OR_FOLLOWER} when an earlier batch of this producer
     *     was refused here and has not been written since
     */
    void check(long producerId, short epoch, int firstSequence, boolean producerKnown, long nowMs) {
        if (refused.isEmpty() || producerId == RecordBatch.NO_PRODUCER_ID) {
            return;
        }
        Refusal r = refused.get(producerId);
        if (r == null) {
            return;
        }
        if (producerKnown || epoch != r.epoch() || nowMs - r.atMs() >= RETAIN_MS) {
            // Sequence checks cover a known producer; a new epoch starts over at 0; or the client gave up.
            refused.remove(producerId);
            return;
        }
        if (firstSequence > r.firstSequence()) {
            throw new PartitionException(Errors.NOT_LEADER_OR_FOLLOWER, "producer " + producerId + " epoch " + epoch
                + ": its batch from sequence " + r.firstSequence() + " was refused here and is not written yet;"
                + " sequence " + firstSequence + " must wait for it");
        }
    }

    /** A batch of {@code producerId} was written: a refusal it made good is forgotten. */
    void written(long producerId, short epoch, int firstSequence) {
        if (refused.isEmpty()) {
            return;
        }
        Refusal r = refused.get(producerId);
        if (r != null && (epoch != r.epoch() || firstSequence <= r.firstSequence())) {
            refused.remove(producerId);
        }
    }

    /** Nothing is owed: the produce path skips the per-batch check (and its producer-state lookup). */
    boolean isEmpty() {
        return refused.isEmpty();
    }

    int size() {
        return refused.size();
    }

    private void evictOldest(long nowMs) {
        refused.values().removeIf(r -> nowMs - r.atMs() >= RETAIN_MS);
        if (refused.size() >= MAX_ENTRIES) {
            Long oldest = null;
            long oldestAt = Long.MAX_VALUE;
            for (Map.Entry<Long, Refusal> e : refused.entrySet()) {
                if (e.getValue().atMs() < oldestAt) {
                    oldestAt = e.getValue().atMs();
                    oldest = e.getKey();
                }
            }
            refused.remove(oldest);
        }
    }
}
