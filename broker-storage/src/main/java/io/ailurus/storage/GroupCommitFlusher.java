package io.ailurus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * The flushers of a data directory: {@code fsyncParallelism} independent <em>lanes</em>, each a thread with its own
 * aligned staging buffers and its own queue of dirty logs. A log is assigned to one lane for its lifetime (round-robin
 * at its first append). A lane's round takes every log of the lane with pending appends, writes their bytes, fdatasyncs
 * each written file once, releases the logs, then completes the appends' futures. Appends arriving while a round runs
 * wait for the lane's next round: under load rounds grow by themselves (group commit), idle logs cost nothing, and a
 * lone append waits for exactly one write + fdatasync.
 * <p>Why lanes and not one round shared out over helper threads: a shared round ends when its slowest fdatasync ends,
 * and no lane could start its next write before that, so the device's queue drained at every round's end. Independent
 * lanes keep up to {@code fsyncParallelism} (8) writes or fdatasyncs in flight all the time, and a slow fdatasync delays
 * only the logs of its own lane.
 * <p>Idle costs nothing: a lane's thread starts, and its staging buffer is allocated, when the lane gets its first dirty
 * log, and the zero buffer (read-only, used to preallocate segment files) is allocated once and shared by the lanes.
 * An idle or read-only data directory held 8 threads and 16 MiB of direct memory before (docs/operations.md, memory).
 * Once allocated, a lane keeps its buffer for the directory's lifetime: the write path never allocates one per round.
 * <p>A lane holds a log's I/O lock from its write to its release, and completes futures only after it released every
 * log of its round, so a callback never runs while this thread holds any log's lock.
 * <p>Back-pressure: at most {@code maxPendingBytes} may wait to be written in the whole directory; appends beyond that
 * block (bounded by {@code appendBlockTimeoutMs}) until a round frees room.
 */
final class GroupCommitFlusher implements FlushStats, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitFlusher.class);

    private final StorageConfig config;
    private final IoMode io;
    private final Lane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();
    private final AtomicLong cacheBytes;
    private volatile boolean running = true;

    private final ReentrantLock pendingLock = new ReentrantLock();
    private final Condition roomFreed = pendingLock.newCondition();
    private final AtomicLong pendingBytes = new AtomicLong();

    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong fsyncNanos = new AtomicLong();
    private final AtomicLong appendsCompleted = new AtomicLong();
    private volatile LongConsumer fsyncListener;
    private volatile LongConsumer appendLatencyListener;
    private final List<PartitionLog> allLogs;
    /** Zeros to preallocate segment files with; never written into, so one buffer serves every lane. */
    private ByteBuffer zeros;

    GroupCommitFlusher(String name, StorageConfig config, IoMode io, AtomicLong cacheBytes, List<PartitionLog> allLogs) {
        this.config = config;
        this.io = io;
        this.cacheBytes = cacheBytes;
        this.allLogs = allLogs;
        this.lanes = new Lane[config.fsyncParallelism()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(i == 0 ? "ailurus-flusher-" + name : "ailurus-flusher-" + name + "-" + i);
        }
    }

    /** The shared zero buffer, allocated at the first round that needs it; each lane reads a duplicate of it. */
    private synchronized ByteBuffer zeros() {
        if (zeros == null) {
            zeros = IoMode.alignedBuffer(config.stagingBufferBytes());
        }
        return zeros.duplicate();
    }

    /** Direct memory the lanes hold (staging buffers and the shared zero buffer): 0 until the first append. */
    synchronized long bufferBytes() {
        long bytes = zeros == null ? 0 : zeros.capacity();
        for (Lane lane : lanes) {
            ByteBuffer staging = lane.staging;
            bytes += staging == null ? 0 : staging.capacity();
        }
        return bytes;
    }

    /** Lanes whose thread has been started (a lane starts at its first dirty log). */
    int startedLanes() {
        int n = 0;
        for (Lane lane : lanes) {
            n += lane.thread != null ? 1 : 0;
        }
        return n;
    }

    IoMode io() {
        return io;
    }

    /** Reserves room for {@code bytes} of pending appends, blocking while the directory is over its limit. */
    void reserve(long bytes) {
        long max = config.maxPendingBytes();
        while (true) {
            long cur = pendingBytes.get();
            // One append may always proceed when nothing is pending, whatever its size.
            if ((cur + bytes <= max || cur == 0) && pendingBytes.compareAndSet(cur, cur + bytes)) {
                return;
            }
            if (cur + bytes > max && cur != 0) {
                break;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.appendBlockTimeoutMs());
        pendingLock.lock();
        try {
            while (true) {
                long cur = pendingBytes.get();
                if ((cur + bytes <= max || cur == 0) && pendingBytes.compareAndSet(cur, cur + bytes)) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StorageException("append blocked for " + config.appendBlockTimeoutMs()
                            + " ms: " + cur + " bytes are waiting to be written (limit maxPendingBytes=" + max
                            + "); the disk is not keeping up");
                }
                roomFreed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for room to append", e);
        } finally {
            pendingLock.unlock();
        }
    }

    void release(long bytes) {
        pendingBytes.addAndGet(-bytes);
        pendingLock.lock();
        try {
            roomFreed.signalAll();
        } finally {
            pendingLock.unlock();
        }
    }

    /** Tells {@code log}'s lane that it has pending appends (idempotent until the lane's next round takes it). */
    void markDirty(PartitionLog log) {
        if (log.queued.compareAndSet(false, true)) {
            Lane lane = lanes[laneOf(log)];
            lane.dirty.add(log);
            lane.start();
        }
    }

    /** The log's lane, assigned round-robin on first use (one appender per log, so no race on the field). */
    private int laneOf(PartitionLog log) {
        int lane = log.flushLane;
        if (lane < 0) {
            lane = Math.floorMod(nextLane.getAndIncrement(), lanes.length);
            log.flushLane = lane;
        }
        return lane;
    }

    /** One flusher thread with its buffers and its logs' queue; thread and buffers come with the first dirty log. */
    private final class Lane {
        final LinkedBlockingQueue<PartitionLog> dirty = new LinkedBlockingQueue<>();
        private final String threadName;
        private final AtomicBoolean started = new AtomicBoolean();
        /** Null until the lane's first dirty log starts it. */
        volatile Thread thread;
        /** Allocated by the lane's thread before its first round, then reused by every round. */
        volatile ByteBuffer staging;
        private ByteBuffer laneZeros;

        Lane(String threadName) {
            this.threadName = threadName;
        }

        /** Starts the lane's thread unless it runs already (called on every markDirty: one volatile read then). */
        void start() {
            if (thread == null && started.compareAndSet(false, true)) {
                Thread t = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
                thread = t;
                t.start();
            }
        }

        private void run() {
            if (!allocateBuffers()) {
                return;
            }
            List<PartitionLog> batch = new ArrayList<>();
            List<PartitionLog.LogFlush> flushes = new ArrayList<>();
            while (running || !dirty.isEmpty()) {
                try {
                    PartitionLog first = dirty.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    if (config.flushDebounceMicros() > 0) {
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(config.flushDebounceMicros()));
                    }
                    batch.add(first);
                    dirty.drainTo(batch);
                    round(batch, flushes);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Throwable t) {
                    // Never let a lane die: fail what this round held, keep serving the lane's other logs.
                    log.error("flush round failed unexpectedly", t);
                    for (PartitionLog.LogFlush f : flushes) {
                        f.fail(new StorageException("flush failed unexpectedly: " + t, t));
                        f.notifyWaiters();
                    }
                } finally {
                    batch.clear();
                    flushes.clear();
                }
            }
        }

        /**
         * Allocates the lane's buffers; retried once a second while direct memory is exhausted (the lane's appends
         * wait meanwhile, as they would behind a slow disk) rather than letting the thread die with its queue.
         * False only when the flusher closed with nothing left in the lane's queue.
         */
        private boolean allocateBuffers() {
            while (running || !dirty.isEmpty()) {
                try {
                    ByteBuffer z = zeros();
                    staging = IoMode.alignedBuffer(config.stagingBufferBytes());
                    laneZeros = z;
                    return true;
                } catch (OutOfMemoryError e) {
                    log.error("flush lane {} cannot allocate its {}-byte staging buffer, retrying in 1 s: {}",
                            threadName, config.stagingBufferBytes(), e.toString());
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                }
            }
            return false;
        }

        private void round(List<PartitionLog> batch, List<PartitionLog.LogFlush> flushes) {
            ByteBuffer staging = this.staging;
            for (PartitionLog l : batch) {
                l.queued.set(false);
            }
            LongConsumer listener = fsyncListener;
            LongConsumer timer = nanos -> {
                fsyncs.incrementAndGet();
                fsyncNanos.addAndGet(nanos);
                if (listener != null) {
                    listener.accept(nanos);
                }
            };
            long completed = 0;
            try {
                for (PartitionLog l : batch) {
                    PartitionLog.LogFlush f = l.writePending(staging, laneZeros, io);
                    if (f != null) {
                        flushes.add(f);
                        bytesWritten.addAndGet(f.bytes());
                    }
                }
                for (PartitionLog.LogFlush f : flushes) {
                    f.sync(timer);
                }
                // A round counts once its fsyncs are done (a reader never sees a round without them), and
                // only if it wrote something: a log queued again after an earlier round of this lane took
                // its bytes has nothing left. Either would make fsyncs per round read below one.
                if (!flushes.isEmpty()) {
                    rounds.incrementAndGet();
                }
                for (PartitionLog.LogFlush f : flushes) {
                    completed += f.complete();
                }
            } catch (RuntimeException | Error e) {
                // Fail (and so release) every log this round still holds, then tell their waiters.
                log.error("flush round failed unexpectedly", e);
                for (PartitionLog.LogFlush f : flushes) {
                    f.fail(new StorageException("flush failed unexpectedly: " + e, e));
                }
            }
            appendsCompleted.addAndGet(completed);
            // Every log of the round is released now: callbacks may call into any log.
            for (PartitionLog.LogFlush f : flushes) {
                f.notifyWaiters();
            }
            if (cacheBytes.get() > config.tailCacheBytes()) {
                shrinkCaches();
            }
        }
    }

    /** Over the global tail-cache budget: trim every log to an equal share. */
    private void shrinkCaches() {
        PartitionLog[] logs;
        synchronized (allLogs) {
            logs = allLogs.toArray(new PartitionLog[0]);
        }
        if (logs.length == 0) {
            return;
        }
        long share = config.tailCacheBytes() / logs.length;
        for (PartitionLog l : logs) {
            l.evictCacheTo(share);
        }
    }

    @Override
    public void close() {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Lane lane : lanes) {
            Thread thread = lane.thread;
            if (thread == null) {
                continue; // never started: nothing was ever appended through this lane
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public long flushRounds() {
        return rounds.get();
    }

    @Override
    public long bytesWritten() {
        return bytesWritten.get();
    }

    @Override
    public long fsyncCount() {
        return fsyncs.get();
    }

    @Override
    public long fsyncNanos() {
        return fsyncNanos.get();
    }

    @Override
    public long appendsCompleted() {
        return appendsCompleted.get();
    }

    @Override
    public long pendingBytes() {
        return pendingBytes.get();
    }

    @Override
    public void setFsyncLatencyListener(LongConsumer listener) {
        this.fsyncListener = listener;
    }

    @Override
    public void setAppendLatencyListener(LongConsumer listener) {
        this.appendLatencyListener = listener;
    }

    /** The append-to-durable listener, or null; read once per round by each log's {@code notifyWaiters}. */
    LongConsumer appendLatencyListener() {
        return appendLatencyListener;
    }
}
