package io.ailurus.core.partition;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * One partition replica on this broker, as the Kafka handlers see it. A single-replica partition
 * ({@link LocalPartition}) commits on local durability; a replicated one is a jraft group. The handlers
 * do not care which.
 *
 * <p>Threading: every mutating call ({@link #append}, {@link #deleteRecordsBefore}, {@link #updateSettings})
 * must run on {@link #owner()}, the shard that owns the partition. Reads ({@link #read}, offsets, the
 * watermarks) are safe from any thread.
 */
public interface Partition extends AutoCloseable {

    TopicPartition topicPartition();

    /** The shard (event loop) that owns this partition: mutations run there, without locks. */
    EventExecutor owner();

    boolean isLeader();

    /** The leader epoch clients see (the Raft term). */
    int leaderEpoch();

    /** Node id of the current leader, or -1 when unknown. */
    int leaderId();

    /**
     * Validates and appends the batches of one produce request. The future completes, per {@code acks},
     * after the leader's local append ({@code 1}, {@code 0}) or once the batches are committed
     * ({@code -1}: fsynced by a majority; single replica: fsynced locally). It fails with
     * {@link PartitionException} carrying the Kafka error.
     */
    CompletableFuture<AppendOutcome> append(MemoryRecords records, short acks);

    /**
     * Whole batches starting at the one that contains {@code fetchOffset}, at most {@code maxBytes}
     * (but at least one batch when {@code minOneBatch}), below the high watermark (read_uncommitted)
     * or the last stable offset (read_committed).
     */
    /**
     * Ends producer {@code producerId}'s open transaction on this partition (WriteTxnMarkers, called by
     * the transaction coordinator): appends a COMMIT or ABORT control batch through the normal append
     * path (replicated through Raft on a replicated partition). The future completes once the marker
     * is committed (fsynced by a majority; single replica: locally) and the producer state has applied
     * it, so the last stable offset has moved past the transaction. It fails with
     * {@link PartitionException}: {@code NOT_LEADER_OR_FOLLOWER} when this replica does not lead,
     * {@code INVALID_PRODUCER_EPOCH} when {@code producerEpoch} is older than the producer's current
     * epoch, {@code TRANSACTION_COORDINATOR_FENCED} when {@code coordinatorEpoch} is older than the one
     * that last wrote a marker for this producer. A newer {@code producerEpoch} fences the producer's
     * older epoch. Like {@link #append}, must run on {@link #owner()}.
     */
    CompletableFuture<Void> writeTxnMarker(long producerId, short producerEpoch, boolean commit, int coordinatorEpoch);

    /** Every producer this partition tracks (DescribeProducers); on the leader, from the owner shard. */
    List<ActiveProducer> activeProducers();

    /**
     * True when {@code producerId} has an open transaction here, so its next transactional batch needs
     * no {@link TransactionVerifier} check (KIP-890: only a transaction's first batch on a partition is
     * verified). On the owner shard.
     */
    boolean hasOngoingTransaction(long producerId);

    /**
     * The epoch this partition knows for {@code producerId}, or -1 when it tracks none. Produce for a
     * transaction.version 2 client asks it for every batch of an open transaction (an open transaction
     * at an older epoch is not extended), so implementations answer from their producer state directly.
     * On the owner shard.
     */
    default short producerEpoch(long producerId) {
        for (ActiveProducer p : activeProducers()) {
            if (p.producerId() == producerId) {
                return (short) p.producerEpoch();
            }
        }
        return -1;
    }

    /**
     * How many COMMIT/ABORT markers this partition has applied for {@code producerId} (0 when none; it
     * restarts from the log after a restart or a leader change). Produce compares it before and after a
     * {@link TransactionVerifier} round trip: a marker in between means the verified transaction ended
     * meanwhile, and the batch must not open a new, hanging one (Kafka's verification guard). On the owner shard.
     */
    long txnMarkerCount(long producerId);

    /**
     * The aborted transactions a read_committed fetch of {@code [fromOffset, toOffsetExclusive)} must
     * tell the consumer about: those whose range overlaps it, in marker order. Safe from any thread.
     */
    List<AbortedTransaction> abortedTransactions(long fromOffset, long toOffsetExclusive);

    PartitionRead read(long fetchOffset, int maxBytes, IsolationLevel isolation, boolean minOneBatch);

    long highWatermark();

    /**
     * The last stable offset: the first offset of the oldest transaction still open here (or ended by
     * a marker not yet committed), capped by the high watermark. read_committed consumers read below it.
     */
    long lastStableOffset();

    long logStartOffset();

    long logEndOffset();

    /** The offset of the first record whose timestamp is at least {@code timestamp}, or null when none. */
    OffsetAndTimestamp offsetForTimestamp(long timestamp, IsolationLevel isolation);

    /** The offset and timestamp of the record with the largest timestamp (ListOffsets MAX_TIMESTAMP), or null. */
    OffsetAndTimestamp maxTimestamp();

    /** OffsetForLeaderEpoch: the end offset of {@code epoch} and the epoch it resolved to, or (-1, -1). */
    EpochEndOffset endOffsetForEpoch(int epoch);

    /** DeleteRecords: moves the log start offset to {@code offset} (at most the high watermark). */
    long deleteRecordsBefore(long offset);

    /**
     * Runs {@code listener} once, on any thread, the next time new data becomes readable (the high
     * watermark moves) or the partition stops being readable here. Used by long-polling fetches.
     *
     * @return an action that cancels the registration (call it when the fetch is answered otherwise)
     */
    Runnable onNextDataAvailable(Runnable listener);

    void updateSettings(PartitionSettings settings);

    PartitionSettings settings();

    long sizeBytes();

    @Override
    void close();

    /** Close and remove the partition's data from disk (topic deleted). */
    void delete();

    /** An aborted transaction as a Fetch response lists it: the producer and its first offset. */
    record AbortedTransaction(long producerId, long firstOffset) {}

    record AppendOutcome(long baseOffset, long lastOffset, long logAppendTime, long logStartOffset) {}

    record OffsetAndTimestamp(long offset, long timestamp, int leaderEpoch) {}

    record EpochEndOffset(int epoch, long endOffset) {
        public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1);
    }
}
