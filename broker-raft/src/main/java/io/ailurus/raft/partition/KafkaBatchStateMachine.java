package io.ailurus.raft.partition;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;

import io.ailurus.raft.NodeAware;
import io.ailurus.raft.RaftObserver;
import io.ailurus.raft.RaftOperationException;

/**
 * A jraft state machine over a log whose data entries are Kafka record batches: the common
 * machinery of partitions and the controller.
 *
 * <p>On the leader, {@link #submit} stamps each batch with the next Kafka offset and the Raft
 * term (as {@code partitionLeaderEpoch}) and hands it to jraft; followers store the bytes they
 * receive, so every replica's log reads the same. The next offset is tracked by the leader
 * itself because entries proposed but not yet appended are invisible to the log: it starts, at
 * {@link #onLeaderStart}, from the offset after the last applied batch (jraft calls
 * {@code onLeaderStart} once the new term's configuration entry is applied, i.e. when every
 * older entry is applied too), and advances with each proposal under one lock that also keeps
 * proposals entering jraft's queue in offset order.
 *
 * <p>While applying, it advances the commit index and the high watermark (the Raft commit point
 * in Kafka offsets), and completes the proposers' futures. Subclasses give meaning to the
 * batches via {@link #applyBatch}.
 *
 * <p>Offsets never repeat. Within a term, a stamped proposal fails only if every later one in
 * that term fails too: jraft refuses proposals while it transfers leadership and accepts them
 * again if the transfer times out in the same term, so {@link #transferLeadershipTo} first stops
 * stamping and lets the proposals in flight drain. Without that a batch could be refused while a
 * later batch of the same producer, stamped before the refusal was known, entered the log: a hole
 * in the producer's sequence that a retry fills out of order (FaultInjectionTest caught it).
 */
public abstract class KafkaBatchStateMachine extends StateMachineAdapter implements NodeAware {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatchStateMachine.class);

    private final String name;
    private final int maxInflight;
    private final AtomicInteger inflight = new AtomicInteger();
    private final List<PartitionListener> listeners = new CopyOnWriteArrayList<>();
    private final Object proposeLock = new Object();

    private volatile Node node;
    private volatile RaftObserver observer = RaftObserver.NONE;
    private volatile String observedId;
    /** The term this replica leads and accepts proposals in, or -1; guarded by proposeLock. */
    private long leaderTerm = -1;
    /** The Kafka offset the next proposal gets; guarded by proposeLock, meaningful while leading. */
    private long leaderNextOffset;
    /**
     * Set from the start of a leadership transfer until jraft reports its outcome (leadership
     * again in the same term, or lost): proposals are refused before stamping. Guarded by proposeLock.
     */
    private boolean transferring;

    /** Written only on jraft's state-machine thread. */
    private volatile long appliedIndex;
    /** The offset after the last applied batch: the high watermark. State-machine thread only. */
    private volatile long appliedNextOffset;
    private volatile long lastKnownTerm;

    /**
     * @param name        for logs, e.g. the group id
     * @param maxInflight proposals accepted but not yet applied; must not exceed jraft's disruptor
     *                    size so jraft never refuses a stamped proposal for lack of queue room
     */
    protected KafkaBatchStateMachine(String name, int maxInflight) {
        if (maxInflight <= 0) {
            throw new IllegalArgumentException("maxInflight must be positive, was " + maxInflight);
        }
        this.name = name;
        this.maxInflight = maxInflight;
    }

    @Override
    public void attach(Node node) {
        this.node = node;
    }

    /**
     * Reports this group's commit latencies and leadership to {@code observer} under
     * {@code groupId} ({@link io.ailurus.raft.RaftNodeHost} calls this when it starts the group).
     */
    public void observeWith(String groupId, RaftObserver observer) {
        this.observedId = groupId;
        this.observer = observer == null ? RaftObserver.NONE : observer;
    }

    /** Subscribes to commit and leadership events (called on jraft's state-machine thread). */
    public void addListener(PartitionListener listener) {
        listeners.add(listener);
    }

    /** Removes a listener added with {@link #addListener}. */
    public void removeListener(PartitionListener listener) {
        listeners.remove(listener);
    }

    /** The group's name as given at construction. */
    public String name() {
        return name;
    }

    /** Whether this replica currently leads and accepts proposals. */
    public boolean isLeader() {
        synchronized (proposeLock) {
            return leaderTerm >= 0;
        }
    }

    /** The term this replica leads, or -1. */
    public long leaderTerm() {
        synchronized (proposeLock) {
            return leaderTerm;
        }
    }

    /** The Raft index of the last applied entry (the commit point as this replica knows it). */
    public long commitIndex() {
        return appliedIndex;
    }

    /** The Kafka offset after the last committed record: consumers may read below it. */
    public long highWatermark() {
        return appliedNextOffset;
    }

    /** The highest term seen among applied entries or leadership changes. */
    public long lastKnownTerm() {
        return lastKnownTerm;
    }

    /** Proposals accepted and not yet applied or failed. */
    public int inflight() {
        return inflight.get();
    }

    /**
     * Proposes one record batch; the leader stamps its base offset and leader epoch in place (the
     * buffer is taken over: do not touch it until the future completes).
     *
     * @param batch      exactly one magic-v2 Kafka record batch
     * @param completion turns the entry's position and {@link #applyBatch}'s value into the result
     * @return completes once the entry is committed and applied on this replica; fails with
     *         {@link NotLeaderException}, {@link InvalidBatchException} or
     *         {@link RaftOperationException}
     */
    protected final <T> CompletableFuture<T> submit(ByteBuffer batch,
            BiFunction<ProposeResult, Object, T> completion) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            KafkaBatchHeader.validateSingleBatch(batch);
        } catch (InvalidBatchException e) {
            future.completeExceptionally(e);
            return future;
        }
        Node current = node;
        if (current == null) {
            future.completeExceptionally(new NotLeaderException(name + ": group not started"));
            return future;
        }
        // Reserve the slot before stamping so that jraft never refuses a stamped batch for room.
        if (inflight.incrementAndGet() > maxInflight) {
            inflight.decrementAndGet();
            future.completeExceptionally(new RaftOperationException(RaftError.EBUSY,
                    name + ": " + maxInflight + " proposals already in flight"));
            return future;
        }
        ProposalClosure<T> closure = new ProposalClosure<>(future, completion, inflight::decrementAndGet);
        synchronized (proposeLock) {
            if (leaderTerm < 0 || transferring) {
                inflight.decrementAndGet();
                future.completeExceptionally(new NotLeaderException(name
                        + (transferring ? ": handing leadership over" : ": not the leader")));
                return future;
            }
            long base = leaderNextOffset;
            KafkaBatchHeader.stamp(batch, base, (int) leaderTerm);
            leaderNextOffset = base + KafkaBatchHeader.lastOffsetDelta(batch) + 1;
            // expectedTerm: if the term moves on before jraft appends this, jraft refuses it rather
            // than appending a batch stamped by an older term.
            current.apply(new Task(batch, closure, leaderTerm));
        }
        return future;
    }

    /**
     * Hands leadership to {@code peer} without leaving a hole in this term: stops stamping
     * proposals, waits up to {@code drainMillis} for those in flight to be applied, then asks
     * jraft to transfer. Stamping resumes when jraft reports the outcome ({@link #onLeaderStart}
     * again in the same term if the transfer times out, {@link #onLeaderStop} if it succeeds), or
     * at once if the transfer does not start.
     *
     * @return jraft's answer; {@code EBUSY} when the proposals in flight did not drain in time
     */
    public Status transferLeadershipTo(PeerId peer, long drainMillis) {
        Node current = node;
        long term;
        synchronized (proposeLock) {
            if (current == null || leaderTerm < 0) {
                return new Status(RaftError.EPERM, "%s: not the leader", name);
            }
            if (transferring) {
                return new Status(RaftError.EBUSY, "%s: a leadership transfer is under way", name);
            }
            transferring = true;
            term = leaderTerm;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        while (inflight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        Status st = inflight.get() > 0
                ? new Status(RaftError.EBUSY, "%s: %d proposals still in flight after %d ms", name, inflight.get(),
                        drainMillis)
                : current.transferLeadershipTo(peer);
        if (!st.isOk()) {
            synchronized (proposeLock) {
                if (leaderTerm == term) {
                    transferring = false;
                }
            }
        }
        return st;
    }

    /** Whether a leadership transfer started by {@link #transferLeadershipTo} awaits its outcome. */
    public boolean isTransferring() {
        synchronized (proposeLock) {
            return transferring;
        }
    }

    /**
     * Gives meaning to a committed batch; runs on jraft's state-machine thread in log order on
     * every replica. Must be deterministic. Throwing stops the group (the entry is not applied).
     *
     * @param index the entry's Raft index
     * @param term  the entry's Raft term
     * @param batch the stamped record batch (a duplicate: position and limit may be used freely)
     * @return a value handed to the proposer's completion on the leader (null if none)
     */
    protected Object applyBatch(long index, long term, ByteBuffer batch) {
        return null;
    }

    @Override
    public void onApply(Iterator iter) {
        while (iter.hasNext()) {
            long index = iter.getIndex();
            long term = iter.getTerm();
            ByteBuffer data = iter.getData();
            Closure done = iter.done();
            ProposeResult result = null;
            Object value = null;
            if (data != null && data.remaining() >= KafkaBatchHeader.HEADER_SIZE) {
                ByteBuffer batch = data.duplicate();
                long base = KafkaBatchHeader.baseOffset(batch);
                long next = KafkaBatchHeader.nextOffset(batch);
                try {
                    value = applyBatch(index, term, batch);
                } catch (RuntimeException e) {
                    LOG.error("{}: applying entry {} failed; stopping the group", name, index, e);
                    iter.setErrorAndRollback(1, new Status(RaftError.ESTATEMACHINE,
                            "applying entry %d failed: %s", index, e));
                    return;
                }
                result = new ProposeResult(base, next - 1, index, term);
                appliedNextOffset = next;
            } else {
                // Only batches are ever proposed; anything else came from outside and is skipped.
                LOG.error("{}: entry {} is not a Kafka record batch ({} bytes); skipped", name, index,
                        data == null ? 0 : data.remaining());
            }
            appliedIndex = index;
            if (term > lastKnownTerm) {
                lastKnownTerm = term;
            }
            if (done instanceof ProposalClosure<?> proposal && result != null) {
                observer.proposalApplied(observedId, System.nanoTime() - proposal.proposedNanos());
                proposal.applied(result, value);
            }
            if (done != null) {
                done.run(Status.OK());
            }
            iter.next();
        }
        long index = appliedIndex;
        long hw = appliedNextOffset;
        for (PartitionListener l : listeners) {
            l.onCommitted(index, hw);
        }
    }

    @Override
    public void onLeaderStart(long term) {
        synchronized (proposeLock) {
            // A second onLeaderStart in the same term (a leadership transfer that timed out) must
            // keep the counter: entries stamped before the transfer may still be unapplied.
            if (leaderTerm != term) {
                leaderNextOffset = appliedNextOffset;
            }
            leaderTerm = term;
            transferring = false;
        }
        if (term > lastKnownTerm) {
            lastKnownTerm = term;
        }
        LOG.info("{}: leader of term {}, next offset {}", name, term, appliedNextOffset);
        observer.leaderStarted(observedId, term);
        for (PartitionListener l : listeners) {
            l.onLeaderStart(term);
        }
    }

    /**
     * A follower learns the term of the leader it now follows here, before it has applied any entry of
     * that term. Without this the leader epoch a follower reports (its Metadata names the leader it
     * follows) stays the previous leader's term until the new leader's first entry commits:
     * NetworkPartitionTest saw a majority broker name the new leader with the old leader's epoch.
     */
    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        if (ctx.getTerm() > lastKnownTerm) {
            lastKnownTerm = ctx.getTerm();
        }
    }

    @Override
    public void onLeaderStop(Status status) {
        synchronized (proposeLock) {
            leaderTerm = -1;
            transferring = false;
        }
        LOG.info("{}: no longer leader ({})", name, status);
        observer.leaderStopped(observedId);
        for (PartitionListener l : listeners) {
            l.onLeaderStop();
        }
    }

    @Override
    public void onError(RaftException e) {
        synchronized (proposeLock) {
            leaderTerm = -1;
            transferring = false;
        }
        LOG.error("{}: raft group failed", name, e);
        for (PartitionListener l : listeners) {
            l.onError(e);
        }
    }

    /**
     * Restores the applied position from a snapshot (called by subclasses that keep snapshots,
     * from {@code onSnapshotLoad}, on the state-machine thread).
     */
    protected final void restoreApplied(long index, long nextOffset) {
        appliedIndex = index;
        appliedNextOffset = nextOffset;
    }

    /** The Kafka offset after the last applied batch (for snapshots). */
    protected final long appliedNextOffset() {
        return appliedNextOffset;
    }
}
