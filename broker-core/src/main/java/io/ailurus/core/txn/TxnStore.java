package io.ailurus.core.txn;

import io.ailurus.core.group.GroupStore;
import io.ailurus.core.group.OffsetEntry;
import io.ailurus.core.metadata.CommandResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicated transaction state: one {@link TransactionMetadata} per transactional id, a
 * sub-model of the controller's state machine (like {@link GroupStore}). The coordinator decides
 * each change from what it reads and proposes it as a compare-and-set on the id's version; applying
 * only checks the version, so every controller replica ends up with the same values.
 *
 * <p>Mutators run on the controller's apply thread in log order; readers (every broker's
 * coordinator, the produce-path verifier) read from any thread: entries are immutable and replaced
 * whole in a concurrent map.
 */
public final class TxnStore {
    private final Map<String, TransactionMetadata> txns = new ConcurrentHashMap<>();
    private final GroupStore groups;

    /** @param groups where transactional offsets wait for the outcome and are materialized on commit */
    public TxnStore(GroupStore groups) {
        this.groups = groups;
    }

    public TransactionMetadata get(String transactionalId) {
        return txns.get(transactionalId);
    }

    /** Whether an open transaction holds an offset of {@code groupId} for {@code tp} (OffsetFetch requireStable). */
    public boolean pendingOffsetHeld(String groupId, org.apache.kafka.common.TopicPartition tp) {
        return groups.hasPendingOffset(groupId, tp);
    }

    public Collection<TransactionMetadata> all() {
        return Collections.unmodifiableCollection(txns.values());
    }

    public int size() {
        return txns.size();
    }

    // --- mutators: controller apply thread only ---------------------------------------------------

    /**
     * Stores {@code next} if the id's current version is {@code expectedVersion} (0: the id must be
     * unknown). Completing a transaction also settles its consumer groups' pending offsets in the
     * same step: materialized on commit, dropped on abort.
     */
    public CommandResult put(TransactionMetadata next, long expectedVersion) {
        TransactionMetadata cur = txns.get(next.transactionalId());
        long curVersion = cur == null ? 0 : cur.version();
        if (curVersion != expectedVersion || next.version() != expectedVersion + 1) {
            return CommandResult.error(CommandResult.Error.STALE_VERSION, "transactional id " + next.transactionalId()
                + " is at version " + curVersion + ", not " + expectedVersion);
        }
        if (cur != null && cur.state().isPreparing() && !next.state().isPreparing()) {
            boolean commit = cur.state() == TxnState.PREPARE_COMMIT;
            for (String g : cur.groups()) {
                groups.completePendingOffsets(g, cur.producerId(), commit);
            }
        }
        txns.put(next.transactionalId(), next);
        return CommandResult.ok(next.version());
    }

    /** Forgets an idle transactional id (expiry) if it is still at {@code expectedVersion}. */
    public CommandResult delete(String transactionalId, long expectedVersion) {
        TransactionMetadata cur = txns.get(transactionalId);
        if (cur == null) {
            return CommandResult.ok();
        }
        if (cur.version() != expectedVersion) {
            return CommandResult.error(CommandResult.Error.STALE_VERSION, "transactional id " + transactionalId
                + " changed since it was found idle");
        }
        txns.remove(transactionalId);
        return CommandResult.ok();
    }

    /**
     * TxnOffsetCommit: holds {@code offsets} for {@code groupId} until the transaction ends. Refused
     * unless the producer owns the id at this epoch and added the group to its ongoing transaction.
     */
    public CommandResult commitOffsets(String transactionalId, long producerId, short producerEpoch, String groupId,
                                       List<OffsetEntry> offsets, long timestamp) {
        TransactionMetadata cur = txns.get(transactionalId);
        if (cur == null || cur.producerId() != producerId) {
            return CommandResult.error(CommandResult.Error.INVALID_PRODUCER_ID_MAPPING,
                "producer " + producerId + " does not own transactional id " + transactionalId);
        }
        if (cur.producerEpoch() != producerEpoch) {
            return CommandResult.error(CommandResult.Error.PRODUCER_FENCED, "epoch " + producerEpoch
                + " is not the current epoch " + cur.producerEpoch() + " of producer " + producerId);
        }
        if (cur.state() != TxnState.ONGOING || !cur.groups().contains(groupId)) {
            return CommandResult.error(CommandResult.Error.INVALID_TXN_STATE, "group " + groupId
                + " was not added to an ongoing transaction of " + transactionalId + " (state " + cur.state().kafkaName() + ")");
        }
        groups.addPendingOffsets(groupId, producerId, offsets, timestamp);
        return CommandResult.ok();
    }

    // --- snapshots --------------------------------------------------------------------------------------

    public List<TransactionMetadata> snapshot() {
        return new ArrayList<>(txns.values());
    }

    public void restore(List<TransactionMetadata> rows) {
        txns.clear();
        if (rows != null) {
            rows.forEach(t -> txns.put(t.transactionalId(), t));
        }
    }
}
