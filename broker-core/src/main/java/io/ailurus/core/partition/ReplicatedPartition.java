package io.ailurus.core.partition;

import com.alipay.sofa.jraft.entity.PeerId;
import io.ailurus.raft.RaftGroup;
import io.ailurus.raft.RaftOperationException;
import io.ailurus.raft.partition.InvalidBatchException;
import io.ailurus.raft.partition.NotLeaderException;
import io.ailurus.raft.partition.PartitionListener;
import io.ailurus.raft.partition.PartitionStateMachine;
import io.ailurus.raft.partition.ProposeResult;
import io.ailurus.storage.OffsetOutOfRangeException;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.ReadResult;
import io.ailurus.storage.StorageException;
import io.ailurus.storage.TimestampOffset;
import io.netty.util.concurrent.EventExecutor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition with two or more replicas: one jraft group whose log is this partition's
 * broker-storage log (the Raft log is the Kafka log). Produce on the leader proposes each batch;
 * the leader stamps offsets and the term (= leader epoch). The high watermark is the Raft commit
 * point, so consumers never read a batch that a new leader could truncate.
 *
 * <p>Acknowledgements: {@code acks=all} completes when the batch is committed (a majority fsynced
 * it). {@code acks=1} completes at the same point: jraft does not tell the proposer when the
 * leader's own append is durable, and acknowledging before that would be weaker than Kafka's
 * acks=1. {@code acks=0} gets no answer (the handler does not wait).
 *
 * <p>Idempotent producers: the leader keeps producer state for duplicate and sequence checks,
 * including batches still in flight. It is rebuilt from the log whenever this replica becomes
 * leader (every replica stores the same batches, and jraft starts the leader only once every
 * older entry is applied, so the log is exactly the committed history). If a proposal fails
 * while this replica still leads, the state may name a batch that never reached the log, so
 * appends are refused (retriably) until the in-flight proposals drain and the state is rebuilt.
 *
 * <p>Threading: like {@link LocalPartition}, mutations run on {@link #owner()}. jraft's events
 * arrive on its state-machine thread and are handed to the owner.
 */
public final class ReplicatedPartition implements Partition {
    private static final Logger log = LoggerFactory.getLogger(ReplicatedPartition.class);

    private final TopicPartition tp;
    private final int nodeId;
    private final EventExecutor owner;
    private final PartitionLog plog;
    private final PartitionStateMachine stateMachine;
    private final ToIntFunction<PeerId> nodeIdOfPeer;
    private final CommitWaiters commitWaiters = new CommitWaiters();
    private final DataListeners dataListeners = new DataListeners();
    /** Owner-thread only. */
    private final ProducerStateManager producers = new ProducerStateManager();
    /** {@link ProducerStateManager#firstUnstableOffset()} as of the owner's last change, for readers anywhere. */
    private volatile long firstUnstableOffset = Long.MAX_VALUE;
    /** Aborted transactions whose marker is committed but not yet in this replica's log; owner-thread only. */
    private final List<ProducerStateManager.CompletedTxn> abortsToIndex = new ArrayList<>();
    private boolean indexRetryScheduled;
    private volatile PartitionSettings settings;
    private volatile RaftGroup group;
    /** The term this replica serves produce requests in, or -1; owner-thread only. */
    private long servingTerm = -1;
    /** Idempotent batches refused unwritten, so that no later batch of their producer overtakes them; owner-thread only. */
    private final RefusedFirstBatches refusals = new RefusedFirstBatches();
    /** A proposal failed while leading: producer state must be rebuilt before the next append. */
    private boolean producerStateSuspect;
    private volatile boolean closed;

    /**
     * @param stateMachine the group's state machine, not yet started (this partition listens to it)
     * @param nodeIdOfPeer maps a group member to its broker id (-1 when unknown)
     */
    public ReplicatedPartition(TopicPartition tp, int nodeId, EventExecutor owner, PartitionLog plog,
                               PartitionSettings settings, PartitionStateMachine stateMachine,
                               ToIntFunction<PeerId> nodeIdOfPeer) {
        this.tp = tp;
        this.nodeId = nodeId;
        this.owner = owner;
        this.plog = plog;
        this.settings = settings;
        this.stateMachine = stateMachine;
        this.nodeIdOfPeer = nodeIdOfPeer;
        stateMachine.addListener(new Events());
    }

    /** Attaches the started group (membership changes, leadership transfer, stop). */
    public void attach(RaftGroup group) {
        this.group = group;
    }

    public RaftGroup group() {
        return group;
    }

    public PartitionStateMachine stateMachine() {
        return stateMachine;
    }

    /** jraft events, on its state-machine thread: hand them to the owner shard. */
    private final class Events implements PartitionListener {
        @Override
        public void onCommitted(long commitIndex, long highWatermark) {
            onOwner(() -> {
                releaseStableTransactions(highWatermark);
                commitWaiters.advanceTo(highWatermark);
                dataListeners.fire();
            });
        }

        @Override
        public void onLeaderStart(long term) {
            onOwner(() -> becomeLeader(term));
        }

        @Override
        public void onLeaderStop() {
            onOwner(ReplicatedPartition.this::stopLeading);
        }

        @Override
        public void onError(Throwable error) {
            log.error("{}: the Raft group failed; this replica stops serving: {}", tp, error.toString());
            onOwner(ReplicatedPartition.this::stopLeading);
        }
    }

    private void becomeLeader(long term) {
        if (closed || stateMachine.leaderTerm() != term) {
            return; // already deposed again
        }
        if (servingTerm != term) {
            // A new term: every older entry is applied and in the local log. The same term again
            // (a leadership transfer timed out) keeps the state: proposals stamped before the
            // transfer may still be on their way to the log, and a refused one marked it suspect.
            rebuildProducerState();
            producerStateSuspect = false;
        }
        servingTerm = term;
        log.info("{}: leader in term {} from offset {}", tp, term, stateMachine.highWatermark());
        dataListeners.fire();
    }

    private void stopLeading() {
        if (servingTerm >= 0) {
            log.info("{}: no longer leader (term {})", tp, servingTerm);
        }
        servingTerm = -1;
        abortsToIndex.clear();
        // Waiters for duplicates of in-flight batches: the batch may be truncated by the next leader.
        commitWaiters.failAll(new PartitionException(Errors.NOT_LEADER_OR_FOLLOWER, tp + ": leadership moved"));
        dataListeners.fire();
    }

    /**
     * Every batch in the log (all applied: see the class comment) is the producers' history, open
     * transactions included; replaying it also indexes aborted transactions this replica wrote as a
     * follower.
     */
    private void rebuildProducerState() {
        producers.reset();
        abortsToIndex.clear();
        long end = plog.logEndOffset();
        boolean indexMissing = plog.abortedTxnIndexMissingFrom() >= 0;
        ProducerStateReplay.replay(producers, plog, plog.logStartOffset(), end);
        if (indexMissing) {
            plog.markAbortedTxnIndexComplete();
        }
        producers.onHighWatermark(end);
        firstUnstableOffset = producers.firstUnstableOffset();
    }

    /**
     * On the owner, as the high watermark moves: transactions whose marker is now committed stop
     * holding the last stable offset back, once an aborted one is in the aborted-transaction index
     * (the index takes only markers already in the local log; jraft may commit an entry on the
     * followers' votes before the leader's own write, so an abort can wait here a moment).
     */
    private void releaseStableTransactions(long highWatermark) {
        if (!abortsToIndex.isEmpty()) {
            long localEnd = plog.logEndOffset();
            var it = abortsToIndex.iterator();
            while (it.hasNext()) {
                ProducerStateManager.CompletedTxn t = it.next();
                if (t.lastOffset() < localEnd) {
                    try {
                        plog.appendAbortedTxn(t.toAbortedTxn());
                        it.remove();
                    } catch (StorageException | IllegalArgumentException e) {
                        log.warn("{}: cannot index aborted transaction {} yet: {}", tp, t, e.getMessage());
                    }
                }
            }
        }
        long release = highWatermark;
        for (ProducerStateManager.CompletedTxn t : abortsToIndex) {
            release = Math.min(release, t.lastOffset());
        }
        producers.onHighWatermark(release);
        long before = firstUnstableOffset;
        firstUnstableOffset = producers.firstUnstableOffset();
        if (firstUnstableOffset != before) {
            dataListeners.fire(); // read_committed long polls: the last stable offset moved
        }
        if (!abortsToIndex.isEmpty() && !closed && !indexRetryScheduled) {
            // Retried shortly: the local write is on its way (bounded by leadership: stopLeading clears the list).
            indexRetryScheduled = true;
            owner.schedule(() -> {
                indexRetryScheduled = false;
                releaseStableTransactions(stateMachine.highWatermark());
            }, 5, TimeUnit.MILLISECONDS);
        }
    }

    @Override public TopicPartition topicPartition() { return tp; }

    @Override public EventExecutor owner() { return owner; }

    @Override public boolean isLeader() { return !closed && stateMachine.isLeader(); }

    @Override
    public int leaderEpoch() {
        long term = stateMachine.leaderTerm();
        return (int) (term >= 0 ? term : stateMachine.lastKnownTerm());
    }

    @Override
    public int leaderId() {
        if (isLeader()) {
            return nodeId;
        }
        RaftGroup g = group;
        PeerId leader = g == null || closed ? null : g.leaderId();
        return leader == null ? -1 : nodeIdOfPeer.applyAsInt(leader);
    }

    @Override
    public CompletableFuture<AppendOutcome> append(MemoryRecords records, short acks) {
        assert owner.inEventLoop();
        long now = System.currentTimeMillis();
        if (servingTerm < 0 || stateMachine.leaderTerm() != servingTerm) {
            refusals.refused(records, now);
            return notLeader();
        }
        if (producerStateSuspect) {
            if (stateMachine.inflight() > 0) {
                refusals.refused(records, now);
                return CompletableFuture.failedFuture(new PartitionException(Errors.NOT_LEADER_OR_FOLLOWER,
                    tp + ": recovering from a failed proposal; retry"));
            }
            rebuildProducerState();
            producerStateSuspect = false;
        }
        ProduceAdmission.Decision decision;
        try {
            decision = ProduceAdmission.decide(records, settings, producers, now);
            if (!decision.isDuplicate() && !refusals.isEmpty()) {
                for (var b : decision.batches()) {
                    refusals.check(b.producerId(), b.producerEpoch(), b.baseSequence(),
                        producers.hasState(b.producerId(), b.producerEpoch()), now);
                }
            }
        } catch (PartitionException e) {
            return CompletableFuture.failedFuture(e);
        }
        long logAppendTime = decision.logAppendTime();
        if (decision.isDuplicate()) {
            // A retry of a batch already proposed: answer with its offsets once it is committed.
            ProducerBatch d = decision.duplicateOf();
            AppendOutcome outcome = new AppendOutcome(d.firstOffset(), d.lastOffset(), logAppendTime, plog.logStartOffset());
            return commitWaiters.await(d.lastOffset(), stateMachine.highWatermark()).thenApply(v -> outcome);
        }
        List<ProduceBatchValidator.ValidatedBatch> batches = decision.batches();

        List<CompletableFuture<ProposeResult>> proposals = new ArrayList<>(batches.size());
        long firstOffset = -1;
        long lastOffset = -1;
        for (var b : batches) {
            ByteBuffer buf = b.buffer();
            int pos = buf.position();
            int lastDelta = buf.getInt(pos + 23);
            CompletableFuture<ProposeResult> f = stateMachine.propose(buf);
            if (f.isCompletedExceptionally()) {
                // Refused before it was stamped (not leader, busy, invalid): nothing entered the log.
                refusals.refused(b.producerId(), b.producerEpoch(), b.baseSequence(), now);
                if (proposals.isEmpty()) {
                    return CompletableFuture.failedFuture(toPartitionException(f.handle((r, err) -> err).join()));
                }
                producerStateSuspect = true; // earlier batches of this request are in flight
                proposals.add(f);
                break;
            }
            // Stamped in place, synchronously: the base offset is known now (absolute read, the
            // buffer's position belongs to jraft from here on).
            long base = buf.getLong(pos);
            if (firstOffset < 0) {
                firstOffset = base;
            }
            lastOffset = base + lastDelta;
            if (b.producerId() != RecordBatch.NO_PRODUCER_ID) {
                producers.record(new ProducerBatch(b.producerId(), b.producerEpoch(), b.baseSequence(), b.lastSequence(),
                    base, base + lastDelta, b.maxTimestamp()), b.transactional());
                refusals.written(b.producerId(), b.producerEpoch(), b.baseSequence());
                firstUnstableOffset = producers.firstUnstableOffset();
            }
            long term = servingTerm;
            f.whenComplete((r, err) -> {
                if (err != null) {
                    onOwner(() -> {
                        // Whether the batch reached the log is unknown: if it did, the producer's state
                        // (rebuilt from the log) supersedes this refusal.
                        refusals.refused(b.producerId(), b.producerEpoch(), b.baseSequence(), System.currentTimeMillis());
                        if (servingTerm == term) {
                            producerStateSuspect = true;
                        }
                    });
                }
            });
            proposals.add(f);
        }
        AppendOutcome outcome = new AppendOutcome(firstOffset, lastOffset, logAppendTime, plog.logStartOffset());
        CompletableFuture<AppendOutcome> result = new CompletableFuture<>();
        CompletableFuture.allOf(proposals.toArray(CompletableFuture[]::new)).whenComplete((v, err) -> {
            if (err != null) {
                result.completeExceptionally(toPartitionException(err));
            } else {
                result.complete(outcome);
            }
        });
        return result;
    }

    private CompletableFuture<AppendOutcome> notLeader() {
        return CompletableFuture.failedFuture(new PartitionException(Errors.NOT_LEADER_OR_FOLLOWER,
            "this broker (" + nodeId + ") does not lead " + tp + "; the leader is " + leaderId()));
    }

    /** Maps Raft failures to Kafka errors the client acts on. */
    private PartitionException toPartitionException(Throwable err) {
        while (err instanceof CompletionException && err.getCause() != null) {
            err = err.getCause();
        }
        if (err instanceof PartitionException pe) {
            return pe;
        }
        if (err instanceof NotLeaderException) {
            return new PartitionException(Errors.NOT_LEADER_OR_FOLLOWER, tp + ": " + err.getMessage(), err);
        }
        if (err instanceof InvalidBatchException) {
            return new PartitionException(Errors.CORRUPT_MESSAGE, err.getMessage(), err);
        }
        if (err instanceof RaftOperationException) {
            // Busy or replication trouble: retriable without a metadata refresh.
            return new PartitionException(Errors.NOT_ENOUGH_REPLICAS, tp + ": " + err.getMessage(), err);
        }
        return new PartitionException(Errors.UNKNOWN_SERVER_ERROR, tp + ": " + err, err);
    }

    /**
     * Proposes the marker like a produced batch. The producer state applies it at once (so the
     * producer's next batches are checked against the ended transaction), but the transaction keeps
     * holding the last stable offset back until the marker is committed and, for an abort, indexed.
     */
    @Override
    public CompletableFuture<Void> writeTxnMarker(long producerId, short producerEpoch, boolean commit, int coordinatorEpoch) {
        assert owner.inEventLoop();
        if (servingTerm < 0 || stateMachine.leaderTerm() != servingTerm) {
            return CompletableFuture.failedFuture(new PartitionException(Errors.NOT_LEADER_OR_FOLLOWER,
                "this broker (" + nodeId + ") does not lead " + tp + "; the leader is " + leaderId()));
        }
        if (producerStateSuspect) {
            if (stateMachine.inflight() > 0) {
                return CompletableFuture.failedFuture(new PartitionException(Errors.NOT_LEADER_OR_FOLLOWER,
                    tp + ": recovering from a failed proposal; retry"));
            }
            rebuildProducerState();
            producerStateSuspect = false;
        }
        try {
            producers.checkMarker(producerId, producerEpoch, coordinatorEpoch);
        } catch (ProducerStateException e) {
            return CompletableFuture.failedFuture(ProduceAdmission.toPartitionException(e));
        }
        long now = System.currentTimeMillis();
        ByteBuffer buf = TxnMarkers.batch(producerId, producerEpoch, commit, coordinatorEpoch, now);
        int pos = buf.position();
        CompletableFuture<ProposeResult> f = stateMachine.propose(buf);
        if (f.isCompletedExceptionally()) {
            return CompletableFuture.failedFuture(toPartitionException(f.handle((r, err) -> err).join()));
        }
        long markerOffset = buf.getLong(pos);
        ProducerStateManager.CompletedTxn done = producers.completeTransaction(producerId, producerEpoch, commit,
            coordinatorEpoch, markerOffset, now);
        if (done.aborted()) {
            abortsToIndex.add(done);
        }
        firstUnstableOffset = producers.firstUnstableOffset();
        long term = servingTerm;
        CompletableFuture<Void> result = new CompletableFuture<>();
        f.whenComplete((r, err) -> onOwner(() -> {
            if (err != null) {
                if (servingTerm == term) {
                    producerStateSuspect = true;
                }
                result.completeExceptionally(toPartitionException(err));
                return;
            }
            releaseStableTransactions(stateMachine.highWatermark());
            // Answered once the marker is committed and, for an abort, indexed (so a read_committed fetch
            // after this answer sees the transaction's records as aborted).
            awaitIndexed(done, term, result);
        }));
        return result;
    }

    private void awaitIndexed(ProducerStateManager.CompletedTxn done, long term, CompletableFuture<Void> result) {
        if (servingTerm != term) {
            result.completeExceptionally(new PartitionException(Errors.NOT_LEADER_OR_FOLLOWER, tp + ": leadership moved"));
        } else if (!abortsToIndex.contains(done)) {
            result.complete(null);
        } else {
            owner.schedule(() -> awaitIndexed(done, term, result), 5, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public List<ActiveProducer> activeProducers() {
        return producers.activeProducers();
    }

    @Override
    public boolean hasOngoingTransaction(long producerId) {
        return producers.hasOngoingTransaction(producerId);
    }

    @Override
    public short producerEpoch(long producerId) {
        return producers.epochOf(producerId);
    }

    @Override
    public long txnMarkerCount(long producerId) {
        return producers.markerCount(producerId);
    }

    @Override
    public List<AbortedTransaction> abortedTransactions(long fromOffset, long toOffsetExclusive) {
        return TxnMarkers.toFetchView(plog.abortedTxns(fromOffset, toOffsetExclusive));
    }

    @Override
    public PartitionRead read(long fetchOffset, int maxBytes, IsolationLevel isolation, boolean minOneBatch) {
        if (!isLeader()) {
            throw new PartitionException(Errors.NOT_LEADER_OR_FOLLOWER, "this broker does not lead " + tp);
        }
        long hw = highWatermark();
        long lso = Math.min(hw, firstUnstableOffset);
        long bound = isolation == IsolationLevel.READ_COMMITTED ? lso : hw;
        try {
            ReadResult r = plog.read(fetchOffset, maxBytes, bound, minOneBatch);
            return new PartitionRead(r, hw, lso, plog.logStartOffset());
        } catch (OffsetOutOfRangeException e) {
            throw new PartitionException(Errors.OFFSET_OUT_OF_RANGE, "offset " + fetchOffset + " is outside ["
                + plog.logStartOffset() + ", " + hw + "] of " + tp);
        } catch (StorageException e) {
            throw new PartitionException(Errors.KAFKA_STORAGE_ERROR, e.getMessage(), e);
        }
    }

    /** The Raft commit point in Kafka offsets (this replica's view; the leader's is authoritative). */
    @Override public long highWatermark() { return stateMachine.highWatermark(); }

    @Override public long lastStableOffset() { return Math.min(highWatermark(), firstUnstableOffset); }

    @Override public long logStartOffset() { return plog.logStartOffset(); }

    @Override public long logEndOffset() { return plog.logEndOffset(); }

    @Override
    public OffsetAndTimestamp offsetForTimestamp(long timestamp, IsolationLevel isolation) {
        TimestampOffset batch = plog.offsetForTimestamp(timestamp);
        if (batch == null || !batch.found()) {
            return null;
        }
        long bound = isolation == IsolationLevel.READ_COMMITTED ? lastStableOffset() : highWatermark();
        OffsetAndTimestamp exact = RecordTimestamps.firstAtOrAfter(plog, batch.offset(), timestamp, bound);
        return exact == null ? null : new OffsetAndTimestamp(exact.offset(), exact.timestamp(), leaderEpoch());
    }

    @Override
    public OffsetAndTimestamp maxTimestamp() {
        TimestampOffset t = plog.maxTimestampOffset();
        if (t == null || !t.found()) {
            return null;
        }
        OffsetAndTimestamp exact = RecordTimestamps.firstAtOrAfter(plog, t.offset(), t.timestamp(), highWatermark());
        return exact == null ? null : new OffsetAndTimestamp(exact.offset(), exact.timestamp(), leaderEpoch());
    }

    /**
     * Kafka's answer from the term history of the log: for the current term the log end, for an
     * older one the first offset of the next larger term (where a consumer that read in that term
     * must truncate to), unknown when older than the log.
     */
    @Override
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        int current = leaderEpoch();
        if (epoch >= current) {
            return new EpochEndOffset(current, plog.logEndOffset());
        }
        long end = plog.endOffsetForTerm(epoch);
        return end < 0 ? EpochEndOffset.UNDEFINED : new EpochEndOffset(epoch, end);
    }

    /**
     * DeleteRecords moves the log start on this replica only; replicating it through the group is
     * not done yet, so it is refused rather than leaving replicas disagreeing.
     */
    @Override
    public long deleteRecordsBefore(long offset) {
        throw new PartitionException(Errors.POLICY_VIOLATION,
            "DeleteRecords on replicated partitions is not supported yet (" + tp + ")");
    }

    @Override
    public Runnable onNextDataAvailable(Runnable listener) {
        return dataListeners.add(listener);
    }

    @Override
    public void updateSettings(PartitionSettings settings) {
        this.settings = settings;
        plog.updateConfig(settings.logConfig());
    }

    @Override public PartitionSettings settings() { return settings; }

    @Override public long sizeBytes() { return plog.sizeBytes(); }

    /** Asks jraft to hand leadership to {@code peer} (leadership balancing); false if it refused at once. */
    public boolean transferLeadershipTo(PeerId peer) {
        RaftGroup g = group;
        if (g == null || !isLeader()) {
            return false;
        }
        try {
            g.transferLeadershipTo(peer);
            return true;
        } catch (RaftOperationException e) {
            log.debug("{}: leadership transfer to {} refused: {}", tp, peer, e.getMessage());
            return false;
        }
    }

    /** Stops the group, then closes the log (the group's storage). */
    @Override
    public void close() {
        closed = true;
        RaftGroup g = group;
        if (g != null) {
            g.stop();
        }
        onOwner(this::stopLeading);
        plog.close();
    }

    /** Runs on the owner shard, or here when the shard has already stopped (broker shutdown). */
    private void onOwner(Runnable task) {
        try {
            owner.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    @Override
    public void delete() {
        closed = true;
        RaftGroup g = group;
        if (g != null) {
            g.stop();
        }
        onOwner(() -> commitWaiters.failAll(new PartitionException(Errors.UNKNOWN_TOPIC_OR_PARTITION, tp + " was deleted")));
        dataListeners.fire();
    }
}
