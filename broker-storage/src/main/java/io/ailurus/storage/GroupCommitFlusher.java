package io.ailurus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * The one flusher thread of a data directory. A round takes every log with pending appends, writes their bytes
 * through one aligned staging buffer, fdatasyncs each written file once, then completes the appends' futures.
 * Appends arriving while a round runs wait for the next round: under load rounds grow by themselves (group
 * commit), idle logs cost nothing, and a lone append waits for exactly one write + fdatasync.
 * <p>With several logs dirty, a round's logs are shared out over {@code fsyncParallelism} threads (the flusher and
 * its helpers), each writing its logs through its own staging buffers and fdatasyncing them: direct writes and
 * fdatasyncs mostly wait for the device, and a device with a queue serves overlapping requests together. The flusher
 * thread still owns the round: it waits until every log of the round is written, synced and released, and only then
 * completes any future.
 * <p>Back-pressure: at most {@code maxPendingBytes} may wait to be written; appends beyond that block (bounded by
 * {@code appendBlockTimeoutMs}) until a round frees room.
 */
final class GroupCommitFlusher implements FlushStats, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitFlusher.class);

    private final StorageConfig config;
    private final IoMode io;
    private final LinkedBlockingQueue<PartitionLog> dirty = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Aligned staging and zero buffers, one pair per share of a round (index 0: the flusher thread's). */
    private final ByteBuffer[] staging;
    private final ByteBuffer[] zeros;
    private final AtomicLong cacheBytes;
    private volatile boolean running = true;
    /** Threads that write and fdatasync a share of a round's logs (null when fsyncParallelism is 1). */
    private final ExecutorService syncHelpers;

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

    GroupCommitFlusher(String name, StorageConfig config, IoMode io, AtomicLong cacheBytes, List<PartitionLog> allLogs) {
        this.config = config;
        this.io = io;
        this.cacheBytes = cacheBytes;
        this.allLogs = allLogs;
        this.staging = new ByteBuffer[config.fsyncParallelism()];
        this.zeros = new ByteBuffer[config.fsyncParallelism()];
        for (int i = 0; i < staging.length; i++) {
            staging[i] = IoMode.alignedBuffer(config.stagingBufferBytes());
            zeros[i] = IoMode.alignedBuffer(config.stagingBufferBytes());
        }
        this.syncHelpers = config.fsyncParallelism() <= 1 ? null : Executors.newFixedThreadPool(
                config.fsyncParallelism() - 1, Thread.ofPlatform().name("ailurus-fsync-" + name + "-", 1).daemon(true).factory());
        this.thread = Thread.ofPlatform().name("ailurus-flusher-" + name).daemon(true).unstarted(this::run);
        thread.start();
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

    /** Tells the flusher that {@code log} has pending appends (idempotent until the next round takes it). */
    void markDirty(PartitionLog log) {
        if (log.queued.compareAndSet(false, true)) {
            dirty.add(log);
        }
    }

    private void run() {
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
                // Never let the directory's only flusher die: fail what this round held, keep serving the others.
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

    private void round(List<PartitionLog> batch, List<PartitionLog.LogFlush> flushes) {
        rounds.incrementAndGet();
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
        int n = batch.size();
        int shares = syncHelpers == null ? 1 : Math.min(n, config.fsyncParallelism());
        long completed;
        if (shares <= 1) {
            completed = flushShare(batch, 0, 1, timer, flushes);
        } else {
            completed = flushShared(batch, shares, timer, flushes);
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

    /**
     * Runs shares 1..shares-1 of the round on the helpers and share 0 here, then waits for all of them. Each share
     * collects its flushes in its own list (merged into {@code flushes} afterwards) so nothing is shared between
     * threads during the round but the counters.
     */
    private long flushShared(List<PartitionLog> batch, int shares, LongConsumer timer,
                             List<PartitionLog.LogFlush> flushes) {
        List<Future<?>> helpers = new ArrayList<>(shares - 1);
        List<List<PartitionLog.LogFlush>> shareFlushes = new ArrayList<>(shares);
        long[] completed = new long[shares];
        for (int share = 0; share < shares; share++) {
            shareFlushes.add(new ArrayList<>());
        }
        for (int share = 1; share < shares; share++) {
            int s = share;
            helpers.add(syncHelpers.submit(() -> {
                completed[s] = flushShare(batch, s, shares, timer, shareFlushes.get(s));
            }));
        }
        completed[0] = flushShare(batch, 0, shares, timer, shareFlushes.get(0));
        Throwable failure = null;
        for (Future<?> h : helpers) {
            try {
                h.get();
            } catch (ExecutionException e) {
                failure = e.getCause();
            } catch (InterruptedException e) {
                // Keep waiting: futures must not complete while a helper may still hold a log of this round.
                Thread.currentThread().interrupt();
                failure = e;
                try {
                    h.get(60, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // Reported through failure below.
                }
            }
        }
        long total = 0;
        for (int share = 0; share < shares; share++) {
            flushes.addAll(shareFlushes.get(share));
            total += completed[share];
        }
        if (failure != null) {
            throw new IllegalStateException("a flush share failed unexpectedly", failure);
        }
        return total;
    }

    /**
     * Writes, fdatasyncs and releases the logs {@code batch[share], batch[share + shares], ...} with this share's
     * buffers; returns how many futures the released flushes will complete. A log's I/O lock is taken and released
     * on the same thread (here). An unexpected error fails this share's logs here, for the same reason.
     */
    private long flushShare(List<PartitionLog> batch, int share, int shares, LongConsumer timer,
                            List<PartitionLog.LogFlush> out) {
        int first = out.size();
        try {
            for (int i = share; i < batch.size(); i += shares) {
                PartitionLog.LogFlush f = batch.get(i).writePending(staging[share], zeros[share], io);
                if (f != null) {
                    out.add(f);
                    bytesWritten.addAndGet(f.bytes());
                }
            }
            for (int i = first; i < out.size(); i++) {
                out.get(i).sync(timer);
            }
            long completed = 0;
            for (int i = first; i < out.size(); i++) {
                completed += out.get(i).complete();
            }
            return completed;
        } catch (RuntimeException | Error e) {
            log.error("flush round failed unexpectedly", e);
            for (int i = first; i < out.size(); i++) {
                out.get(i).fail(new StorageException("flush failed unexpectedly: " + e, e));
            }
            return 0;
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
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (syncHelpers != null) {
            syncHelpers.shutdownNow();
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
