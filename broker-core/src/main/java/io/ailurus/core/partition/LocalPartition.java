package io.ailurus.core.partition;

import io.ailurus.storage.AppendResult;
import io.ailurus.storage.OffsetOutOfRangeException;
import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.ReadResult;
import io.ailurus.storage.StorageException;
import io.ailurus.storage.TimestampOffset;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition with a single replica: the log in broker-storage written directly, committed once the
 * local fsync completes. No Raft machinery; the Raft index and term are still written, so the same
 * log can later become a jraft group's storage when the replication factor is raised.
 */
public final class LocalPartition implements Partition {
    private static final Logger log = LoggerFactory.getLogger(LocalPartition.class);
    /** The term a single-replica partition writes: it never has an election. */
    static final long TERM = 1;
    private static final String PRODUCER_SNAPSHOT = "producer-state.snapshot";

    private final TopicPartition tp;
    private final int nodeId;
    private final EventExecutor owner;
    private final PartitionLog plog;
    private final ProducerStateManager producers = new ProducerStateManager();
    private final CommitWaiters commitWaiters = new CommitWaiters();
    private final DataListeners dataListeners = new DataListeners();
    private volatile PartitionSettings settings;
    private volatile long highWatermark;
    /** {@link ProducerStateManager#firstUnstableOffset()}, published for readers on other threads. */
    private volatile long firstUnstableOffset = Long.MAX_VALUE;
    private volatile Throwable failure;

    public LocalPartition(TopicPartition tp, int nodeId, EventExecutor owner, PartitionLog plog, PartitionSettings settings) {
        this.tp = tp;
        this.nodeId = nodeId;
        this.owner = owner;
        this.plog = plog;
        this.settings = settings;
        // Everything on disk at open was recovered (CRC-checked) and is durable: it is committed.
        this.highWatermark = plog.logEndOffset();
        ProducerStateRecovery.recover(producers, plog, plog.dir().resolve(PRODUCER_SNAPSHOT));
        this.firstUnstableOffset = producers.firstUnstableOffset();
    }

    @Override public TopicPartition topicPartition() { return tp; }

    @Override public EventExecutor owner() { return owner; }

    @Override public boolean isLeader() { return true; }

    @Override public int leaderEpoch() { return (int) TERM; }

    @Override public int leaderId() { return nodeId; }

    @Override
    public CompletableFuture<AppendOutcome> append(MemoryRecords records, short acks) {
        assert owner.inEventLoop();
        Throwable failed = failure;
        if (failed != null) {
            return CompletableFuture.failedFuture(new PartitionException(Errors.KAFKA_STORAGE_ERROR,
                tp + " is offline after a storage failure: " + failed.getMessage(), failed));
        }
        ProduceAdmission.Decision decision;
        try {
            decision = ProduceAdmission.decide(records, settings, producers, System.currentTimeMillis());
        } catch (PartitionException e) {
            return CompletableFuture.failedFuture(e);
        }
        long logAppendTime = decision.logAppendTime();
        if (decision.isDuplicate()) {
            // A retry of a batch already in the log gets that batch's offsets back, once it is committed.
            ProducerBatch d = decision.duplicateOf();
            AppendOutcome outcome = new AppendOutcome(d.firstOffset(), d.lastOffset(), logAppendTime, plog.logStartOffset());
            return commitWaiters.await(d.lastOffset(), highWatermark).thenApply(v -> outcome);
        }
        List<ProduceBatchValidator.ValidatedBatch> batches = decision.batches();

        long firstOffset = -1;
        long lastOffset = -1;
        CompletableFuture<Void> durable = null;
        try {
            for (var b : batches) {
                // The request's own bytes: appendBatch copies the batch into the log before it returns
                // (AppendBatchCopiesTest), so a second copy here would be waste.
                AppendResult r = plog.appendBatch(TERM, b.requestView());
                if (firstOffset < 0) {
                    firstOffset = r.baseOffset();
                }
                lastOffset = r.lastOffset();
                producers.record(new ProducerBatch(b.producerId(), b.producerEpoch(), b.baseSequence(), b.lastSequence(),
                    r.baseOffset(), r.lastOffset(), b.maxTimestamp()), b.transactional());
                durable = r.durable();
            }
            firstUnstableOffset = producers.firstUnstableOffset();
        } catch (StorageException e) {
            return CompletableFuture.failedFuture(new PartitionException(Errors.KAFKA_STORAGE_ERROR, e.getMessage(), e));
        }
        // The log is append-ordered, so the last batch's durability implies the earlier ones'.
        durable.whenComplete((v, err) -> owner.execute(() -> onDurable(err)));

        AppendOutcome outcome = new AppendOutcome(firstOffset, lastOffset, logAppendTime, plog.logStartOffset());
        if (acks != -1) {
            return CompletableFuture.completedFuture(outcome);
        }
        return commitWaiters.await(lastOffset, highWatermark).thenApply(v -> outcome);
    }

    /** On the owner shard: the high watermark follows local durability. */
    private void onDurable(Throwable err) {
        if (err != null) {
            if (failure == null) {
                failure = err;
                log.error("{}: append failed to become durable; the partition refuses writes until restarted: {}",
                    tp, err.getMessage());
            }
            commitWaiters.failAll(new PartitionException(Errors.KAFKA_STORAGE_ERROR, err.getMessage(), err));
            dataListeners.fire();
            return;
        }
        long durableEnd = plog.durableEndOffset();
        if (durableEnd > highWatermark) {
            highWatermark = durableEnd;
            // Transactions ended by now-durable markers stop holding the last stable offset back, before
            // marker writers and long-polling read_committed fetches are told.
            producers.onHighWatermark(durableEnd);
            firstUnstableOffset = producers.firstUnstableOffset();
            commitWaiters.advanceTo(durableEnd);
            dataListeners.fire();
        }
    }

    @Override
    public CompletableFuture<Void> writeTxnMarker(long producerId, short producerEpoch, boolean commit, int coordinatorEpoch) {
        assert owner.inEventLoop();
        Throwable failed = failure;
        if (failed != null) {
            return CompletableFuture.failedFuture(new PartitionException(Errors.KAFKA_STORAGE_ERROR,
                tp + " is offline after a storage failure: " + failed.getMessage(), failed));
        }
        try {
            producers.checkMarker(producerId, producerEpoch, coordinatorEpoch);
        } catch (ProducerStateException e) {
            return CompletableFuture.failedFuture(ProduceAdmission.toPartitionException(e));
        }
        long now = System.currentTimeMillis();
        AppendResult r;
        try {
            r = plog.appendBatch(TERM, TxnMarkers.batch(producerId, producerEpoch, commit, coordinatorEpoch, now));
            ProducerStateManager.CompletedTxn done = producers.completeTransaction(producerId, producerEpoch, commit,
                coordinatorEpoch, r.baseOffset(), now);
            if (done.aborted()) {
                plog.appendAbortedTxn(done.toAbortedTxn());
            }
            firstUnstableOffset = producers.firstUnstableOffset();
        } catch (StorageException e) {
            return CompletableFuture.failedFuture(new PartitionException(Errors.KAFKA_STORAGE_ERROR, e.getMessage(), e));
        }
        r.durable().whenComplete((v, err) -> owner.execute(() -> onDurable(err)));
        return commitWaiters.await(r.lastOffset(), highWatermark);
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
        long hw = highWatermark;
        long bound = isolation == IsolationLevel.READ_COMMITTED ? lastStableOffset() : hw;
        try {
            ReadResult r = plog.read(fetchOffset, maxBytes, bound, minOneBatch);
            return new PartitionRead(r, hw, lastStableOffset(), plog.logStartOffset());
        } catch (OffsetOutOfRangeException e) {
            throw new PartitionException(Errors.OFFSET_OUT_OF_RANGE, "offset " + fetchOffset + " is outside ["
                + plog.logStartOffset() + ", " + plog.logEndOffset() + "] of " + tp);
        } catch (StorageException e) {
            throw new PartitionException(Errors.KAFKA_STORAGE_ERROR, e.getMessage(), e);
        }
    }

    @Override public long highWatermark() { return highWatermark; }

    @Override public long lastStableOffset() { return Math.min(highWatermark, firstUnstableOffset); }

    @Override public long logStartOffset() { return plog.logStartOffset(); }

    @Override public long logEndOffset() { return plog.logEndOffset(); }

    @Override
    public OffsetAndTimestamp offsetForTimestamp(long timestamp, IsolationLevel isolation) {
        TimestampOffset batch = plog.offsetForTimestamp(timestamp);
        if (batch == null || !batch.found()) {
            return null;
        }
        long bound = isolation == IsolationLevel.READ_COMMITTED ? lastStableOffset() : highWatermark;
        OffsetAndTimestamp exact = RecordTimestamps.firstAtOrAfter(plog, batch.offset(), timestamp, bound);
        return exact == null ? null : new OffsetAndTimestamp(exact.offset(), exact.timestamp(), leaderEpoch());
    }

    @Override
    public OffsetAndTimestamp maxTimestamp() {
        TimestampOffset t = plog.maxTimestampOffset();
        if (t == null || !t.found()) {
            return null;
        }
        // The index knows the batch; the record carrying the max timestamp is found inside it.
        OffsetAndTimestamp exact = RecordTimestamps.firstAtOrAfter(plog, t.offset(), t.timestamp(), highWatermark);
        return exact == null ? null : new OffsetAndTimestamp(exact.offset(), exact.timestamp(), leaderEpoch());
    }

    @Override
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        if (epoch >= TERM) {
            return new EpochEndOffset((int) TERM, plog.logEndOffset());
        }
        return EpochEndOffset.UNDEFINED;
    }

    @Override
    public long deleteRecordsBefore(long offset) {
        assert owner.inEventLoop();
        if (offset > highWatermark) {
            throw new PartitionException(Errors.OFFSET_OUT_OF_RANGE,
                "cannot delete records before " + offset + ": the high watermark of " + tp + " is " + highWatermark);
        }
        return plog.advanceLogStartOffset(offset);
    }

    @Override
    public Runnable onNextDataAvailable(Runnable listener) {
        return dataListeners.add(listener);
    }

    @Override
    public void updateSettings(PartitionSettings settings) {
        this.settings = settings;
        plog.updateConfig(settings.logConfig());
        // A shrunk retention applies now, not at the next periodic pass (minutes away): an operator
        // lowering retention.bytes on a full disk needs the space back as soon as the change is applied.
        try {
            plog.enforceRetention(System.currentTimeMillis());
        } catch (StorageException e) {
            log.warn("{}: retention after a config change failed ({}); the periodic pass retries", tp, e.getMessage());
        }
    }

    @Override public PartitionSettings settings() { return settings; }

    @Override public long sizeBytes() { return plog.sizeBytes(); }

    @Override
    public void close() {
        try {
            // The snapshot means "no replay needed below this offset": the aborted-transaction entries of the
            // markers below it must be on disk first.
            plog.flushAbortedTxnIndex();
            producers.writeSnapshot(plog.dir().resolve(PRODUCER_SNAPSHOT), plog.logEndOffset());
        } catch (IOException | StorageException e) {
            log.warn("{}: could not write the producer state snapshot ({}); it will be rebuilt from the log", tp, e.getMessage());
        }
        commitWaiters.failAll(new PartitionException(Errors.NOT_LEADER_OR_FOLLOWER, tp + " was closed on this broker"));
        dataListeners.fire();
        plog.close();
    }

    @Override
    public void delete() {
        commitWaiters.failAll(new PartitionException(Errors.UNKNOWN_TOPIC_OR_PARTITION, tp + " was deleted"));
        dataListeners.fire();
    }

    Path dir() {
        return plog.dir();
    }
}
