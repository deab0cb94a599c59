package io.ailurus.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ailurus.core.group.OffsetEntry;
import io.ailurus.core.group.PartitionRef;
import io.ailurus.core.metadata.CommandResult;
import io.ailurus.core.metadata.MetadataCommand;
import io.ailurus.core.metadata.MetadataState;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The replicated transaction model as the controller applies it: compare-and-set on versions,
 * transactional offsets settled with the outcome, refusals, and the snapshot round trip. Commands go
 * through their JSON encoding, as they do in the controller log.
 */
class TxnStoreTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private final MetadataState state = new MetadataState();
    private long index;

    private CommandResult apply(MetadataCommand c) throws Exception {
        return state.apply(++index, MetadataState.decodeCommand(MetadataState.encodeCommand(c)));
    }

    private TransactionMetadata ongoing(String id, long pid, String group) throws Exception {
        TransactionMetadata fresh = TransactionMetadata.fresh(id, pid, 60_000, 1);
        assertTrue(apply(new MetadataCommand.PutTransaction(fresh, 0)).isOk());
        TransactionMetadata next = fresh.withAdded(List.of(new PartitionRef("t", 0)), List.of(group), 2);
        assertTrue(apply(new MetadataCommand.PutTransaction(next, fresh.version())).isOk());
        return next;
    }

    @Test
    void aChangeDecidedFromAStaleVersionIsRefused() throws Exception {
        TransactionMetadata fresh = TransactionMetadata.fresh("a", 7, 60_000, 1);
        assertTrue(apply(new MetadataCommand.PutTransaction(fresh, 0)).isOk());
        assertEquals(CommandResult.Error.STALE_VERSION, apply(new MetadataCommand.PutTransaction(fresh, 0)).error(),
            "a second creation loses");
        TransactionMetadata bumped = fresh.reinitialised(7, (short) 1, 60_000, 2);
        assertTrue(apply(new MetadataCommand.PutTransaction(bumped, fresh.version())).isOk());
        TransactionMetadata raced = fresh.reinitialised(7, (short) 1, 60_000, 3);
        assertEquals(CommandResult.Error.STALE_VERSION, apply(new MetadataCommand.PutTransaction(raced, fresh.version())).error(),
            "a coordinator that read version 1 cannot overwrite version 2");
        assertEquals(bumped, state.txns().get("a"));
        assertEquals(CommandResult.Error.STALE_VERSION, apply(new MetadataCommand.DeleteTransaction("a", fresh.version())).error());
        assertTrue(apply(new MetadataCommand.DeleteTransaction("a", bumped.version())).isOk());
        assertNull(state.txns().get("a"));
    }

    @Test
    void offsetsAreHeldThenMaterializedOnCommit() throws Exception {
        TransactionMetadata t = ongoing("c", 11, "g");
        assertTrue(apply(new MetadataCommand.CommitTxnOffsets("c", 11, (short) 0, "g",
            List.of(new OffsetEntry("t", 0, 42, 3, "meta")), 5)).isOk());
        assertNull(state.groups().offset("g", TP), "held, not committed");
        assertTrue(state.groups().hasPendingOffset("g", TP));
        TransactionMetadata prepared = t.preparing(true, false, 6);
        assertTrue(apply(new MetadataCommand.PutTransaction(prepared, t.version())).isOk());
        assertNull(state.groups().offset("g", TP), "still held while the markers are written");
        assertTrue(apply(new MetadataCommand.PutTransaction(prepared.completed(7), prepared.version())).isOk());
        assertEquals(42, state.groups().offset("g", TP).offset());
        assertEquals("meta", state.groups().offset("g", TP).metadata());
        assertFalse(state.groups().hasPendingOffset("g", TP));
        assertEquals(TxnState.COMPLETE_COMMIT, state.txns().get("c").state());
        assertTrue(state.txns().get("c").partitions().isEmpty());
    }

    @Test
    void offsetsAreDroppedOnAbortAndTheFenceBumpsTheEpoch() throws Exception {
        TransactionMetadata t = ongoing("ab", 12, "g2");
        assertTrue(apply(new MetadataCommand.CommitTxnOffsets("ab", 12, (short) 0, "g2",
            List.of(new OffsetEntry("t", 0, 9, -1, "")), 5)).isOk());
        TransactionMetadata prepared = t.preparing(false, true, 6);
        assertEquals(1, prepared.producerEpoch());
        assertTrue(apply(new MetadataCommand.PutTransaction(prepared, t.version())).isOk());
        assertTrue(apply(new MetadataCommand.PutTransaction(prepared.completed(7), prepared.version())).isOk());
        assertNull(state.groups().offset("g2", TP));
        assertFalse(state.groups().hasPendingOffset("g2", TP));
    }

    @Test
    void transactionalOffsetsFromTheWrongProducerOrStateAreRefused() throws Exception {
        ongoing("r", 13, "g3");
        List<OffsetEntry> o = List.of(new OffsetEntry("t", 0, 1, -1, ""));
        assertEquals(CommandResult.Error.INVALID_PRODUCER_ID_MAPPING,
            apply(new MetadataCommand.CommitTxnOffsets("r", 99, (short) 0, "g3", o, 1)).error());
        assertEquals(CommandResult.Error.INVALID_PRODUCER_ID_MAPPING,
            apply(new MetadataCommand.CommitTxnOffsets("nobody", 13, (short) 0, "g3", o, 1)).error());
        assertEquals(CommandResult.Error.PRODUCER_FENCED,
            apply(new MetadataCommand.CommitTxnOffsets("r", 13, (short) 1, "g3", o, 1)).error());
        assertEquals(CommandResult.Error.INVALID_TXN_STATE,
            apply(new MetadataCommand.CommitTxnOffsets("r", 13, (short) 0, "other-group", o, 1)).error());
        assertFalse(state.groups().hasPendingOffset("g3", TP));
    }

    @Test
    void theSnapshotCarriesTransactionsAndHeldOffsets() throws Exception {
        TransactionMetadata t = ongoing("s", 14, "g4");
        assertTrue(apply(new MetadataCommand.CommitTxnOffsets("s", 14, (short) 0, "g4",
            List.of(new OffsetEntry("t", 0, 5, -1, "")), 5)).isOk());
        MetadataState restored = new MetadataState();
        restored.restore(state.snapshot());
        assertEquals(t, restored.txns().get("s"));
        assertTrue(restored.groups().hasPendingOffset("g4", TP));
        assertEquals(5, restored.groups().pendingOffsets("g4", 14).get(TP).offset());
    }
}
