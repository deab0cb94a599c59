package io.ailurus.core.txn;

import io.ailurus.core.group.PartitionRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One transactional id's replicated state, an immutable value: the producer id and epoch it owns,
 * the previous ones (KIP-360: a producer that lost its InitProducerId answer may present them), the
 * current transaction's state, partitions and consumer groups, and when it started.
 *
 * <p>{@code version} counts the changes to this id (1 for the first); every change is a
 * compare-and-set on it in the controller log, so two coordinators deciding from the same old value
 * cannot both win. The version also serves as the coordinator epoch written into markers: it only
 * grows for a producer id, so a partition can refuse a marker decided before a newer one.
 *
 * @param startTimestamp when the current transaction became ongoing (ms), -1 when none is
 * @param lastUpdateTimestamp the proposer's clock at the last change (ms): drives expiry
 * @param nextProducerId transaction.version 2 only: the producer id the id moves to when this prepared
 *     transaction completes, because the bumped epoch is the last one (null otherwise; null also when read
 *     from state written before this field existed)
 */
public record TransactionMetadata(String transactionalId, long producerId, short producerEpoch,
                                  long lastProducerId, short lastProducerEpoch, int timeoutMs, TxnState state,
                                  List<PartitionRef> partitions, List<String> groups, long startTimestamp,
                                  long lastUpdateTimestamp, long version, Long nextProducerId) {

    public TransactionMetadata {
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** The first state of a new transactional id. */
    public static TransactionMetadata fresh(String transactionalId, long producerId, int timeoutMs, long now) {
        return new TransactionMetadata(transactionalId, producerId, (short) 0, -1, (short) -1, timeoutMs, TxnState.EMPTY,
            List.of(), List.of(), -1, now, 1, null);
    }

    /** The coordinator epoch markers of this state carry (see the class comment). */
    public int coordinatorEpoch() {
        return (int) Math.min(Integer.MAX_VALUE, version);
    }

    public boolean contains(PartitionRef p) {
        return partitions.contains(p);
    }

    // --- successors: each is the next version of this one --------------------------------------------

    /** Re-initialised by InitProducerId: a new epoch (or producer id) and no transaction open. */
    public TransactionMetadata reinitialised(long newProducerId, short newEpoch, int newTimeoutMs, long now) {
        return new TransactionMetadata(transactionalId, newProducerId, newEpoch, producerId, producerEpoch, newTimeoutMs,
            TxnState.EMPTY, List.of(), List.of(), -1, now, version + 1, null);
    }

    /** Partitions and groups added; the transaction becomes (or stays) ongoing. */
    public TransactionMetadata withAdded(Collection<PartitionRef> newPartitions, Collection<String> newGroups, long now) {
        boolean starting = state != TxnState.ONGOING;
        LinkedHashSet<PartitionRef> ps = new LinkedHashSet<>(starting ? List.of() : partitions);
        ps.addAll(newPartitions);
        LinkedHashSet<String> gs = new LinkedHashSet<>(starting ? List.of() : groups);
        gs.addAll(newGroups);
        return new TransactionMetadata(transactionalId, producerId, producerEpoch, lastProducerId, lastProducerEpoch,
            timeoutMs, TxnState.ONGOING, new ArrayList<>(ps), new ArrayList<>(gs), starting ? now : startTimestamp, now,
            version + 1, null);
    }

    /**
     * The outcome decided. {@code fenceEpoch} bumps the producer epoch first (an abort the coordinator
     * decides on its own: a timeout, or InitProducerId over an open transaction), so the producer that
     * ran the transaction is fenced and the markers carry the new epoch.
     */
    public TransactionMetadata preparing(boolean commit, boolean fenceEpoch, long now) {
        short epoch = producerEpoch;
        if (fenceEpoch && epoch < Short.MAX_VALUE) {
            epoch++;
        }
        return new TransactionMetadata(transactionalId, producerId, epoch, lastProducerId, lastProducerEpoch,
            timeoutMs, commit ? TxnState.PREPARE_COMMIT : TxnState.PREPARE_ABORT, partitions, groups, startTimestamp, now,
            version + 1, null);
    }

    /**
     * transaction.version 2: EndTxn decides the outcome and bumps the producer epoch in the same step,
     * so the markers carry the new epoch and fence every batch of the old one. The old pair is kept as
     * {@code lastProducerId/lastProducerEpoch} so a retried EndTxn (with the old epoch) is recognised.
     * {@code newProducerId} (or null) is where the id moves on completion when the bumped epoch is the last.
     */
    public TransactionMetadata preparingWithBump(boolean commit, Long newProducerId, long now) {
        return new TransactionMetadata(transactionalId, producerId, (short) (producerEpoch + 1), producerId,
            producerEpoch, timeoutMs, commit ? TxnState.PREPARE_COMMIT : TxnState.PREPARE_ABORT, partitions, groups,
            startTimestamp, now, version + 1, newProducerId);
    }

    /** The producer id and epoch the client owns once this (prepared) state completes. */
    public long producerIdAfterCompletion() {
        return nextProducerId != null ? nextProducerId : producerId;
    }

    public short producerEpochAfterCompletion() {
        return nextProducerId != null ? 0 : producerEpoch;
    }

    /** Every marker written: the transaction is over; partitions and groups are cleared. */
    public TransactionMetadata completed(long now) {
        if (!state.isPreparing()) {
            throw new IllegalStateException("only a prepared transaction completes, not one in " + state);
        }
        TxnState done = state == TxnState.PREPARE_COMMIT ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        if (nextProducerId != null) {
            // The epoch ran out: the id moves on; the old pair (the markers' one) stays as the last one.
            return new TransactionMetadata(transactionalId, nextProducerId, (short) 0, producerId, producerEpoch,
                timeoutMs, done, List.of(), List.of(), -1, now, version + 1, null);
        }
        return new TransactionMetadata(transactionalId, producerId, producerEpoch, lastProducerId, lastProducerEpoch,
            timeoutMs, done, List.of(), List.of(), -1, now, version + 1, null);
    }
}
