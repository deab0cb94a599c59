package io.ailurus.storage;

import io.ailurus.storage.format.BatchHeader;
import io.ailurus.storage.format.EntryHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * One partition's durable log: a sequence of Raft-indexed entries (Kafka batches and Raft-only entries) in segment
 * files, with Kafka-offset and time lookups, retention and Raft truncation.
 * <p>Threading: one writer at a time calls the mutating methods ({@link #append}, {@link #appendBatch},
 * {@link #truncateSuffix}, {@link #truncatePrefix}, {@link #reset}, {@link #close}); {@link #advanceLogStartOffset}
 * and retention may run on other threads; any number of threads may read. Reads take no locks: they work on an
 * immutable snapshot of the segment list, volatile positions and the lock-free tail cache, and see only entries
 * whose append call has returned.
 * <p>Durability: an append returns once its entries have positions; {@link AppendResult#durable()} completes when
 * the directory's flusher has written and fdatasynced them. After a write failure (a full disk, an I/O error) the
 * log is fenced: every later append fails with the original cause until the log is reopened, which recovers exactly
 * what is on disk. Reads keep working.
 */
public final class PartitionLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

    private final String name;
    private final Path dir;
    private final LogManager manager;
    private final StorageConfig storage;
    private final GroupCommitFlusher flusher;
    private final TailCache cache;
    private final TermHistory terms;
    private final AbortedTxnIndex abortedTxns;
    private volatile LogConfig config;

    private final Object segmentsLock = new Object();
    private volatile Segment[] segments;

    private volatile long firstIndex;
    private volatile long lastIndex;
    private volatile long lastTerm;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long durableIndex;
    private volatile long durableEndOffset;
    private volatile long writtenIndex;

    private final Object pendingLock = new Object();
    private ArrayList<PendingWrite> pending = new ArrayList<>();
    /** Set while the log sits in the flusher's queue. */
    final AtomicBoolean queued = new AtomicBoolean();
    /** The flusher lane this log is written by, assigned at its first append (-1 before). */
    volatile int flushLane = -1;
    /** Held by the flusher for a whole round on this log, and by maintenance operations that change files. */
    private final ReentrantLock ioLock = new ReentrantLock();
    private Segment writeSegment;
    private volatile CompletableFuture<Void> lastAppendFuture;
    private volatile StorageException failure;
    private volatile boolean closed;

    PartitionLog(String name, Path dir, LogConfig config, LogManager manager, LogLoader.Loaded loaded) {
        this.name = name;
        this.dir = dir;
        this.config = config;
        this.manager = manager;
        this.storage = manager.config();
        this.flusher = manager.flusher();
        this.cache = new TailCache(manager.cacheBytes());
        this.terms = loaded.terms();
        this.segments = loaded.segments().toArray(new Segment[0]);
        Segment last = segments[segments.length - 1];
        this.firstIndex = loaded.firstIndex();
        this.lastIndex = last.lastIndex;
        long lt = 0;
        for (int i = segments.length - 1; i >= 0; i--) {
            if (!segments[i].isEmpty()) {
                lt = segments[i].lastTerm;
                break;
            }
        }
        this.lastTerm = lt;
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = Math.max(loaded.logStartOffset(), last.nextOffset);
        this.durableIndex = lastIndex;
        this.writtenIndex = lastIndex;
        this.durableEndOffset = logEndOffset;
        last.sealed = false;
        try {
            this.abortedTxns = AbortedTxnIndex.load(dir, loaded.segments(), logEndOffset);
        } catch (IOException e) {
            throw new StorageException("log " + name + ": cannot load the aborted-transaction index: " + e, e);
        }
    }

    // ------------------------------------------------------------------ append

    /**
     * Appends entries that continue the log: {@code first.index == lastIndex() + 1}, dense indexes, non-decreasing
     * terms, DATA payloads valid v2 batches with base offsets at or above {@link #logEndOffset()} and increasing.
     * Invalid input throws {@link IllegalArgumentException} and appends nothing. May block briefly when the data
     * directory has too many bytes waiting to be written (back-pressure).
     *
     * @throws StorageException when the log is closed or fenced by an earlier write failure
     */
    public AppendResult append(List<LogEntry> entries) {
        return append(entries, false);
    }

    /**
     * {@link #append}, for a caller that hands the payload buffers over: from this call on, nobody writes their
     * bytes (position and limit of the caller's buffer objects are its own). The log keeps them as they are, for the
     * write and for the tail cache, instead of copying each payload into a buffer of its own: Raft entries (the
     * leader's proposals, the batches a follower receives) are such buffers, and the copy was one allocation and one
     * memory copy of every replicated byte on every replica (docs/benchmarks.md, "Profile of the produce path").
     * A payload changed after the call would be written with a header whose CRC no longer matches.
     */
    public AppendResult appendHandedOver(List<LogEntry> entries) {
        return append(entries, true);
    }

    private AppendResult append(List<LogEntry> entries, boolean handedOver) {
        // Taken first so that the append latency includes any back-pressure wait below.
        long appendedNanos = System.nanoTime();
        ensureWritable();
        int n = entries.size();
        if (n == 0) {
            throw new IllegalArgumentException("log " + name + ": nothing to append");
        }
        LogConfig cfg = config;
        long expectIndex = lastIndex + 1;
        long prevTerm = lastTerm;
        long nextOffset = logEndOffset;
        long baseOffset = -1;
        long lastOffset = -1;
        long bytes = 0;
        long[] offsetBefore = new long[n];
        for (int i = 0; i < n; i++) {
            LogEntry e = entries.get(i);
            if (e.index() != expectIndex) {
                throw new IllegalArgumentException("log " + name + ": entry index " + e.index()
                        + " does not continue the log (expected " + expectIndex + ")");
            }
            if (e.term() < prevTerm) {
                throw new IllegalArgumentException("log " + name + ": entry " + e.index() + " has term " + e.term()
                        + ", lower than the previous term " + prevTerm);
            }
            int size = e.size();
            if (size > cfg.maxEntryBytes()) {
                throw new IllegalArgumentException("log " + name + ": entry " + e.index() + " has " + size
                        + " bytes, more than maxEntryBytes=" + cfg.maxEntryBytes());
            }
            offsetBefore[i] = nextOffset;
            if (e.type() == EntryType.DATA) {
                ByteBuffer p = e.payload();
                String problem = BatchHeader.validate(p);
                if (problem != null) {
                    throw new IllegalArgumentException("log " + name + ": entry " + e.index()
                            + " is not a valid record batch: " + problem);
                }
                long b = BatchHeader.baseOffset(p, p.position());
                if (b < nextOffset) {
                    throw new IllegalArgumentException("log " + name + ": entry " + e.index() + " has base offset " + b
                            + ", below the log end offset " + nextOffset);
                }
                if (baseOffset < 0) {
                    baseOffset = b;
                }
                lastOffset = BatchHeader.lastOffset(p, p.position());
                nextOffset = lastOffset + 1;
            }
            bytes += EntryHeader.SIZE + size;
            prevTerm = e.term();
            expectIndex++;
        }
        flusher.reserve(bytes);
        List<Segment> created;
        boolean[] rollBefore = new boolean[n];
        try {
            created = createRolledSegments(entries, offsetBefore, rollBefore, cfg);
        } catch (IOException e) {
            flusher.release(bytes);
            throw new StorageException("log " + name + ": cannot create a new segment in " + dir + ": " + e
                    + "; check free space and permissions", e);
        }

        CompletableFuture<Void> future = new CompletableFuture<>();
        List<PendingWrite> writes = new ArrayList<>(n);
        Segment active = segments[segments.length - 1];
        int nextCreated = 0;
        long leo = logEndOffset;
        for (int i = 0; i < n; i++) {
            LogEntry e = entries.get(i);
            if (rollBefore[i]) {
                active = created.get(nextCreated++);
                synchronized (segmentsLock) {
                    Segment[] s = Arrays.copyOf(segments, segments.length + 1);
                    s[s.length - 1] = active;
                    segments = s;
                }
            }
            int size = e.size();
            // The payload from position 0 (BatchHeader reads at absolute positions).
            ByteBuffer stored;
            if (handedOver) {
                stored = e.payload().slice();
            } else {
                stored = ByteBuffer.allocate(size);
                stored.put(0, e.payload(), e.payload().position(), size);
            }
            ByteBuffer header = ByteBuffer.allocate(EntryHeader.SIZE);
            // The CRC over the writable buffer, not the read-only view below: CRC32C reads a heap buffer without an
            // accessible array through a temporary copy (the profile showed it as much garbage as the copy saved).
            EntryHeader.write(header, e.type(), e.index(), e.term(), stored, active.salt);
            header.flip();
            // Read-only: the log never writes it, and the tail cache hands it out to readers.
            ByteBuffer payload = stored.isReadOnly() ? stored : stored.asReadOnlyBuffer();
            long b = -1;
            long l = -1;
            long ts = -1;
            if (e.type() == EntryType.DATA) {
                b = BatchHeader.baseOffset(payload, 0);
                l = BatchHeader.lastOffset(payload, 0);
                ts = BatchHeader.maxTimestamp(payload, 0);
            }
            if (e.term() > terms.lastTerm()) {
                terms.observe(e.term(), e.index(), leo);
            }
            int position = active.appendedSize;
            active.track(e.index(), e.term(), e.type(), b, l, ts, EntryHeader.SIZE + size, leo, cfg.indexIntervalBytes());
            if (e.type() == EntryType.DATA) {
                leo = l + 1;
            }
            cache.add(new CachedEntry(e.index(), e.term(), e.type(), payload, b, l, ts, offsetBefore[i]));
            writes.add(new PendingWrite(active, position, header, payload, e.index(), leo, i == n - 1 ? future : null,
                    appendedNanos));
        }
        LogEntry last = entries.get(n - 1);
        logEndOffset = leo;
        lastTerm = last.term();
        lastIndex = last.index();
        lastAppendFuture = future;
        synchronized (pendingLock) {
            pending.addAll(writes);
        }
        flusher.markDirty(this);
        return new AppendResult(entries.getFirst().index(), last.index(), baseOffset, lastOffset, future);
    }

    /** Decides where the append rolls to new segments and creates their files (nothing is published yet). */
    private List<Segment> createRolledSegments(List<LogEntry> entries, long[] offsetBefore, boolean[] rollBefore,
                                               LogConfig cfg) throws IOException {
        Segment active = segments[segments.length - 1];
        long now = storage.clock().getAsLong();
        long pos = active.appendedSize;
        boolean empty = active.isEmpty();
        boolean expired = !empty && now - active.createdMs >= cfg.segmentMs();
        List<Segment> created = new ArrayList<>(0);
        try {
            for (int i = 0; i < entries.size(); i++) {
                int size = EntryHeader.SIZE + entries.get(i).size();
                if (!empty && (pos + size > cfg.segmentBytes() || expired)) {
                    rollBefore[i] = true;
                    created.add(Segment.create(dir, entries.get(i).index(), offsetBefore[i], now, manager.segmentPool()));
                    pos = 0;
                    expired = false;
                }
                pos += size;
                empty = false;
            }
        } catch (IOException e) {
            for (Segment s : created) {
                s.closeChannels();
                Files.deleteIfExists(s.logFile);
            }
            throw e;
        }
        return created;
    }

    /**
     * Leader/single-replica convenience: stamps {@code baseOffset = logEndOffset()} and
     * {@code partitionLeaderEpoch = term} into the batch header (in place) and appends it as the next Raft index.
     */
    public AppendResult appendBatch(long term, ByteBuffer kafkaBatch) {
        ensureWritable();
        String problem = BatchHeader.validate(kafkaBatch);
        if (problem != null) {
            throw new IllegalArgumentException("log " + name + ": not a valid record batch: " + problem);
        }
        if (term < 0 || term > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("log " + name + ": term " + term + " does not fit a partition leader epoch");
        }
        BatchHeader.stamp(kafkaBatch, logEndOffset, (int) term);
        return append(List.of(new LogEntry(lastIndex + 1, term, EntryType.DATA, kafkaBatch)));
    }

    private void ensureWritable() {
        if (closed) {
            throw new StorageException("log " + name + " is closed");
        }
        StorageException f = failure;
        if (f != null) {
            throw new StorageException("log " + name + " refuses appends after an earlier write failure: "
                    + f.getMessage(), f);
        }
    }

    // ------------------------------------------------------------------ flusher side

    /** What one flush round did for this log; the round holds {@link #ioLock} until {@link #complete} or {@link #fail}. */
    final class LogFlush {
        private final List<PendingWrite> writes;
        private final Set<Segment> toSync = new LinkedHashSet<>();
        private final long reserved;
        private long bytes;
        private StorageException error;
        private boolean done;

        LogFlush(List<PendingWrite> writes) {
            this.writes = writes;
            long r = 0;
            for (PendingWrite w : writes) {
                r += w.size();
            }
            this.reserved = r;
        }

        long bytes() {
            return bytes;
        }

        void sync(LongConsumer timer) {
            if (error != null) {
                return;
            }
            for (Segment s : toSync) {
                long t0 = System.nanoTime();
                try {
                    s.sync();
                } catch (IOException e) {
                    error = writeFailure(s, e);
                    return;
                }
                timer.accept(System.nanoTime() - t0);
            }
        }

        /**
         * Marks the round's entries durable and releases the log's I/O lock; returns how many futures
         * {@link #notifyWaiters()} will complete. The flusher releases every log of the round before it completes
         * any future, so a callback may use any log without waiting on a lock this thread holds.
         */
        int complete() {
            if (error != null) {
                fail(error);
                return 0;
            }
            if (done) {
                return 0;
            }
            done = true;
            PendingWrite last = writes.getLast();
            durableEndOffset = last.endOffsetAfter();
            durableIndex = last.index();
            flusher.release(reserved);
            cache.evictTo(storage.tailCacheBytesPerLog(), writtenIndex);
            ioLock.unlock();
            int completed = 0;
            for (PendingWrite w : writes) {
                if (w.future() != null) {
                    completed++;
                }
            }
            return completed;
        }

        void fail(StorageException e) {
            if (done) {
                return;
            }
            done = true;
            error = e;
            if (failure == null) {
                failure = e;
                log.error("log {} is fenced: {}", name, e.getMessage());
            }
            flusher.release(reserved);
            ioLock.unlock();
        }

        /** Completes (or fails) the round's futures; call after {@link #complete()} or {@link #fail}. */
        void notifyWaiters() {
            LongConsumer latency = flusher.appendLatencyListener();
            long now = latency == null ? 0 : System.nanoTime();
            for (PendingWrite w : writes) {
                if (w.future() != null) {
                    if (error == null) {
                        if (latency != null) {
                            latency.accept(now - w.appendedNanos());
                        }
                        w.future().complete(null);
                    } else {
                        w.future().completeExceptionally(error);
                    }
                }
            }
        }
    }

    /** Flusher thread: writes everything pending for this log. Returns null when there was nothing to do. */
    LogFlush writePending(ByteBuffer staging, ByteBuffer zeros, IoMode io) {
        ioLock.lock();
        List<PendingWrite> batch;
        synchronized (pendingLock) {
            if (pending.isEmpty()) {
                ioLock.unlock();
                return null;
            }
            batch = pending;
            pending = new ArrayList<>();
        }
        LogFlush f = new LogFlush(batch);
        StorageException fenced = failure;
        if (fenced != null) {
            f.fail(new StorageException("log " + name + " is fenced by an earlier write failure: " + fenced.getMessage(), fenced));
            f.notifyWaiters();
            return null;
        }
        Segment current = null;
        try {
            terms.checkpointIfDirty(dir);
            LogConfig cfg = config;
            int i = 0;
            while (i < batch.size()) {
                Segment s = batch.get(i).segment();
                current = s;
                int j = i;
                while (j < batch.size() && batch.get(j).segment() == s) {
                    j++;
                }
                if (writeSegment != s) {
                    // Seal every earlier segment before any byte of this one is written: a later segment with
                    // data then proves every earlier one complete (recovery relies on this).
                    boolean sealedAny = false;
                    for (Segment older : segments) {
                        if (older.baseIndex < s.baseIndex && !older.sealed && !older.deleted && older.corruptFrom < 0) {
                            current = older;
                            older.seal();
                            f.toSync.remove(older);
                            sealedAny = true;
                        }
                    }
                    if (sealedAny) {
                        Checkpoints.syncDirectory(dir);
                    }
                    current = s;
                    writeSegment = s;
                }
                f.bytes += s.write(batch, i, j, staging, zeros, io, cfg.preallocateBytes(), cfg.segmentBytes());
                f.toSync.add(s);
                i = j;
            }
            writtenIndex = batch.getLast().index();
            return f;
        } catch (IOException | RuntimeException e) {
            f.fail(writeFailure(current, e));
            f.notifyWaiters();
            return null;
        }
    }

    private StorageException writeFailure(Segment s, Exception e) {
        String msg = String.valueOf(e.getMessage());
        boolean full = msg.contains("No space left") || msg.contains("Disk quota");
        String file = s == null ? dir.toString() : s.logFile.toString();
        return new StorageException("writing log " + name + " (" + file + ") failed: " + e
                + (full ? "; the disk is full: free space (delete data, lower retention) and reopen the log"
                        : "; check the disk and the directory's permissions, then reopen the log")
                + ". Appends acknowledged before this error are intact and readable; this log accepts no appends"
                + " until it is reopened.", e);
    }

    void evictCacheTo(long bytes) {
        cache.evictTo(bytes, writtenIndex);
    }

    /** Waits until everything appended so far is durable (or throws the failure that prevented it). */
    private void awaitDurable() {
        CompletableFuture<Void> f = lastAppendFuture;
        if (f == null) {
            return;
        }
        try {
            f.get(storage.appendBlockTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StorageException se ? se
                    : new StorageException("log " + name + ": flush failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new StorageException("log " + name + ": pending appends did not become durable within "
                    + storage.appendBlockTimeoutMs() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("log " + name + ": interrupted while waiting for pending appends", e);
        }
    }

    // ------------------------------------------------------------------ Kafka reads

    /**
     * Reads whole batches starting with the one holding {@code fromOffset} (or the first after it), in offset order,
     * up to {@code maxBytes} (at least one batch if {@code minOneBatch}), only batches whose last offset is below
     * {@code maxOffsetExclusive}. Raft-only entries are skipped.
     *
     * @throws OffsetOutOfRangeException when fromOffset is below the log start offset or above the log end offset
     * @throws CorruptLogException       when the range holds damaged data
     */
    public ReadResult read(long fromOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        ensureReadable();
        long li = lastIndex;
        long lso = logStartOffset;
        long leo = logEndOffset;
        if (fromOffset < lso || fromOffset > leo) {
            throw new OffsetOutOfRangeException(name, fromOffset, lso, leo);
        }
        if (fromOffset >= leo || fromOffset >= maxOffsetExclusive) {
            return new ReadResult(List.of(), 0, lso, leo);
        }
        List<ReadSlice> out = new ArrayList<>();
        long total = 0;
        EntryCursor c = EntryCursor.atOffset(segments, cache, li, fromOffset).withRefresh(() -> segments);
        EntryView v;
        while ((v = c.next()) != null) {
            if (v.type() != EntryType.DATA || v.lastOffset() < fromOffset) {
                continue;
            }
            if (v.lastOffset() >= maxOffsetExclusive) {
                break;
            }
            if (total + v.size() > maxBytes && !(minOneBatch && out.isEmpty())) {
                break;
            }
            out.add(slice(v));
            total += v.size();
            // Offsets only grow: once the next offset reaches the bound no later batch can qualify, so stop
            // without touching the next entry (which may not even be readable).
            if (total >= maxBytes || v.lastOffset() + 1 >= maxOffsetExclusive) {
                break;
            }
        }
        return new ReadResult(List.copyOf(out), total, lso, leo);
    }

    private static ReadSlice slice(EntryView v) {
        if (v instanceof CachedEntry c) {
            return new ReadSlice.BufferSlice(c.payload().duplicate(), c.baseOffset(), c.lastOffset());
        }
        DiskEntry d = (DiskEntry) v;
        if (!d.segment().verified) {
            // Bytes from before this process started and never checked since: check before serving them.
            SegmentScanner.readPayload(d);
        }
        return new ReadSlice.FileSlice(d.segment().readChannel, d.payloadPosition(), d.size(), d.baseOffset(),
                d.lastOffset());
    }

    /**
     * The first batch whose max timestamp is >= {@code timestampMs}: its base offset and max timestamp (the Kafka
     * layer finds the exact record within the batch). {@link TimestampOffset#NONE} when there is none.
     */
    public TimestampOffset offsetForTimestamp(long timestampMs) {
        ensureReadable();
        Segment[] segs = segments;
        long li = lastIndex;
        long lso = logStartOffset;
        for (int s = 0; s < segs.length; s++) {
            Segment seg = segs[s];
            if (seg.maxTimestamp < timestampMs || seg.isEmpty()) {
                continue;
            }
            int trow = seg.timeIndex.lastBefore(timestampMs);
            long from = trow >= 0 ? seg.timeIndex.offsetAt(trow) : seg.startOffset;
            int row = seg.index.floorByOffset(from);
            EntryCursor c = EntryCursor.atSegmentRow(segs, cache, li, s, row).withRefresh(() -> segments);
            EntryView v;
            while ((v = c.next()) != null) {
                if (v.type() == EntryType.DATA && v.maxTimestamp() >= timestampMs && v.lastOffset() >= lso) {
                    return new TimestampOffset(v.baseOffset(), v.maxTimestamp());
                }
            }
            return TimestampOffset.NONE;
        }
        return TimestampOffset.NONE;
    }

    /** The batch with the largest max timestamp (the first such): its base offset and timestamp; NONE when empty. */
    public TimestampOffset maxTimestampOffset() {
        ensureReadable();
        long ts = -1;
        long off = -1;
        for (Segment s : segments) {
            if (s.maxTimestamp > ts && s.maxTimestampOffset >= logStartOffset) {
                ts = s.maxTimestamp;
                off = s.maxTimestampOffset;
            }
        }
        return off < 0 ? TimestampOffset.NONE : new TimestampOffset(off, ts);
    }

    /**
     * For Kafka's OffsetForLeaderEpoch: the first offset of the next larger term, {@link #logEndOffset()} if
     * {@code term} is the latest, -1 when the term is older than anything this log knows.
     */
    public long endOffsetForTerm(long term) {
        return terms.endOffsetFor(term, logEndOffset);
    }

    // ------------------------------------------------------------------ Raft access

    /** The entry at {@code index} (payload: a fresh or read-only buffer), or null outside [firstIndex, lastIndex]. */
    public LogEntry entry(long index) {
        ensureReadable();
        long li = lastIndex;
        if (index < firstIndex || index > li) {
            return null;
        }
        CachedEntry c = cache.get(index);
        if (c != null) {
            return new LogEntry(index, c.term(), c.type(), c.payload().duplicate());
        }
        EntryView v = EntryCursor.atIndex(segments, cache, li, index).withRefresh(() -> segments).next();
        if (v == null || v.index() != index) {
            return null;
        }
        if (v instanceof CachedEntry ce) {
            return new LogEntry(index, ce.term(), ce.type(), ce.payload().duplicate());
        }
        return new LogEntry(index, v.term(), v.type(), SegmentScanner.readPayload((DiskEntry) v));
    }

    /** The term of the entry at {@code index}, or 0 when the index is outside the log. */
    public long termAt(long index) {
        long li = lastIndex;
        if (index < firstIndex || index > li) {
            return 0;
        }
        if (index == li) {
            return lastTerm;
        }
        if (terms.covers(index)) {
            return terms.termAt(index);
        }
        CachedEntry c = cache.get(index);
        if (c != null) {
            return c.term();
        }
        EntryView v = EntryCursor.atIndex(segments, cache, li, index).withRefresh(() -> segments).next();
        return v == null || v.index() != index ? 0 : v.term();
    }

    public long firstIndex() {
        return firstIndex;
    }

    public long lastIndex() {
        return lastIndex;
    }

    public long lastTerm() {
        return lastTerm;
    }

    /** The highest index known fsynced. */
    public long durableIndex() {
        return durableIndex;
    }

    /**
     * Raft follower truncation: removes every entry after {@code lastIndexKept} (files, indexes, cache, term
     * history). Waits for pending appends first; the cut is durable when this returns.
     */
    public void truncateSuffix(long lastIndexKept) {
        ensureOpen();
        if (lastIndexKept >= lastIndex) {
            return;
        }
        if (lastIndexKept < firstIndex - 1) {
            throw new IllegalArgumentException("log " + name + ": cannot keep entries up to " + lastIndexKept
                    + ", the log starts at " + firstIndex);
        }
        awaitDurable();
        ioLock.lock();
        try {
            long k = lastIndexKept;
            cache.truncateAfter(k);
            Segment[] segs = segments;
            List<Segment> keep = new ArrayList<>();
            List<Segment> drop = new ArrayList<>();
            for (Segment s : segs) {
                (s.baseIndex <= k ? keep : drop).add(s);
            }
            deleteSegments(drop);
            Segment active;
            if (keep.isEmpty()) {
                active = Segment.create(dir, k + 1, segs[0].startOffset, storage.clock().getAsLong());
                keep.add(active);
            } else {
                active = keep.getLast();
                if (active.lastIndex > k) {
                    cutAfter(active, k);
                } else if (active.sealed) {
                    active.truncateTo(active.writtenSize);
                }
            }
            Checkpoints.syncDirectory(dir);
            synchronized (segmentsLock) {
                segments = keep.toArray(new Segment[0]);
            }
            writeSegment = active;
            terms.truncateAfter(k);
            terms.checkpointIfDirty(dir);
            long leo = active.isEmpty() && keep.size() == 1 ? active.startOffset : active.nextOffset;
            lastTerm = k >= firstIndex ? (active.isEmpty() ? termAtSlow(k) : active.lastTerm) : 0;
            logEndOffset = Math.max(leo, 0);
            if (logStartOffset > logEndOffset) {
                logStartOffset = logEndOffset;
                Checkpoints.writeLogStart(dir, new Checkpoints.LogStart(firstIndex, logStartOffset));
            }
            writtenIndex = k;
            durableIndex = k;
            durableEndOffset = logEndOffset;
            lastIndex = k;
            abortedTxns.truncateFrom(logEndOffset);
        } catch (IOException e) {
            StorageException se = writeFailure(null, e);
            failure = se;
            throw se;
        } finally {
            ioLock.unlock();
        }
    }

    private long termAtSlow(long index) {
        for (int i = segments.length - 1; i >= 0; i--) {
            Segment s = segments[i];
            if (s.baseIndex <= index && s.lastIndex >= index && s.lastIndex == index) {
                return s.lastTerm;
            }
        }
        return terms.termAt(index);
    }

    /** Cuts {@code seg} right after entry k and recomputes its end state from the entries that remain. */
    private void cutAfter(Segment seg, long k) throws IOException {
        int row = seg.index.floorByIndex(k);
        SegmentScanner sc = row < 0 ? new SegmentScanner(seg, 0, seg.baseIndex, Integer.MAX_VALUE)
                : new SegmentScanner(seg, seg.index.positionAt(row), seg.index.indexAt(row), Integer.MAX_VALUE);
        long nextOff = row < 0 ? seg.startOffset : seg.index.offsetAt(row);
        long maxTs = -1;
        long maxTsOff = -1;
        long termK = 0;
        int cut = -1;
        DiskEntry e;
        while ((e = sc.next()) != null) {
            if (e.index() > k) {
                cut = e.position();
                break;
            }
            termK = e.term();
            if (e.type() == EntryType.DATA) {
                nextOff = e.lastOffset() + 1;
                if (e.maxTimestamp() > maxTs) {
                    maxTs = e.maxTimestamp();
                    maxTsOff = e.baseOffset();
                }
            }
        }
        if (cut < 0) {
            throw new IOException("entry " + (k + 1) + " not found in " + seg.logFile + " while truncating");
        }
        seg.index.truncateAfter(k);
        seg.timeIndex.truncateFrom(nextOff);
        int t = seg.timeIndex.size();
        if (t > 0 && seg.timeIndex.timestampAt(t - 1) >= maxTs) {
            maxTs = seg.timeIndex.timestampAt(t - 1);
            maxTsOff = seg.timeIndex.offsetAt(t - 1);
        }
        seg.truncateTo(cut);
        seg.maxTimestamp = maxTs;
        seg.maxTimestampOffset = maxTsOff;
        seg.nextOffset = nextOff;
        seg.lastTerm = termK;
        seg.lastIndex = k;
        int rows = seg.index.size();
        seg.bytesSinceIndex = rows == 0 ? cut : cut - seg.index.positionAt(rows - 1);
    }

    /**
     * Raft snapshot: entries before {@code firstIndexKept} are no longer part of the log; whole segments below it
     * are deleted (the rest of a partly covered segment stays on disk but is not served by {@link #entry}).
     */
    public void truncatePrefix(long firstIndexKept) {
        ensureOpen();
        if (firstIndexKept <= firstIndex) {
            return;
        }
        if (firstIndexKept > lastIndex + 1) {
            reset(firstIndexKept, logEndOffset);
            return;
        }
        ioLock.lock();
        try {
            List<Segment> drop = new ArrayList<>();
            synchronized (segmentsLock) {
                Segment[] segs = segments;
                int d = 0;
                while (d < segs.length - 1 && segs[d].sealed && segs[d].lastIndex < firstIndexKept) {
                    drop.add(segs[d]);
                    d++;
                }
                segments = Arrays.copyOfRange(segs, d, segs.length);
            }
            firstIndex = firstIndexKept;
            if (!drop.isEmpty()) {
                logStartOffset = Math.max(logStartOffset, segments[0].startOffset);
            }
            Checkpoints.writeLogStart(dir, new Checkpoints.LogStart(firstIndex, logStartOffset));
            deleteSegments(drop);
            cache.truncateBefore(firstIndexKept);
        } catch (IOException e) {
            throw new StorageException("log " + name + ": truncatePrefix failed: " + e, e);
        } finally {
            ioLock.unlock();
        }
    }

    /** Drops everything; the next append starts at {@code nextIndex} and Kafka offset {@code nextOffset}. */
    public void reset(long nextIndex, long nextOffset) {
        ensureOpen();
        if (nextIndex < 1 || nextOffset < 0) {
            throw new IllegalArgumentException("log " + name + ": cannot reset to index " + nextIndex + ", offset " + nextOffset);
        }
        try {
            awaitDurable();
        } catch (StorageException e) {
            log.warn("log {}: resetting although pending appends failed: {}", name, e.getMessage());
        }
        ioLock.lock();
        try {
            Checkpoints.writeLogStart(dir, new Checkpoints.LogStart(nextIndex, nextOffset));
            deleteSegments(Arrays.asList(segments));
            Segment s = Segment.create(dir, nextIndex, nextOffset, storage.clock().getAsLong());
            Checkpoints.syncDirectory(dir);
            synchronized (segmentsLock) {
                segments = new Segment[]{s};
            }
            cache.clear();
            terms.clear();
            terms.checkpointIfDirty(dir);
            abortedTxns.clear();
            writeSegment = null;
            firstIndex = nextIndex;
            lastTerm = 0;
            logStartOffset = nextOffset;
            logEndOffset = nextOffset;
            durableEndOffset = nextOffset;
            durableIndex = nextIndex - 1;
            writtenIndex = nextIndex - 1;
            lastIndex = nextIndex - 1;
        } catch (IOException e) {
            throw new StorageException("log " + name + ": reset failed: " + e, e);
        } finally {
            ioLock.unlock();
        }
    }

    // ------------------------------------------------------------------ Kafka-level state

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    /** The log end offset of the durable prefix. */
    public long durableEndOffset() {
        return durableEndOffset;
    }

    /**
     * DeleteRecords: moves the log start offset up to {@code offset} (checkpointed) and deletes closed segments
     * wholly below it. Returns the new log start offset.
     *
     * @throws OffsetOutOfRangeException when offset is beyond the log end offset
     */
    public long advanceLogStartOffset(long offset) {
        ensureOpen();
        if (offset > logEndOffset) {
            throw new OffsetOutOfRangeException(name, offset, logStartOffset, logEndOffset);
        }
        ioLock.lock();
        try {
            if (offset <= logStartOffset) {
                return logStartOffset;
            }
            List<Segment> drop = new ArrayList<>();
            synchronized (segmentsLock) {
                Segment[] segs = segments;
                int d = 0;
                while (d < segs.length - 1 && segs[d].sealed && segs[d + 1].startOffset <= offset
                        && segs[d].nextOffset <= offset) {
                    drop.add(segs[d]);
                    d++;
                }
                segments = Arrays.copyOfRange(segs, d, segs.length);
            }
            logStartOffset = offset;
            if (!drop.isEmpty()) {
                firstIndex = Math.max(firstIndex, segments[0].baseIndex);
                cache.truncateBefore(firstIndex);
            }
            Checkpoints.writeLogStart(dir, new Checkpoints.LogStart(firstIndex, logStartOffset));
            deleteSegments(drop);
            return logStartOffset;
        } catch (IOException e) {
            throw new StorageException("log " + name + ": cannot checkpoint the log start offset: " + e, e);
        } finally {
            ioLock.unlock();
        }
    }

    /**
     * Deletes closed segments past retention: by time (the segment's newest batch is older than
     * {@code nowMs - retentionMs}) and by size (the oldest ones while the log exceeds {@code retentionBytes}).
     * Never the active segment, never a segment not yet sealed. Returns what it deleted.
     */
    public RetentionResult enforceRetention(long nowMs) {
        if (closed) {
            return RetentionResult.NONE;
        }
        LogConfig cfg = config;
        if (cfg.retentionMs() < 0 && cfg.retentionBytes() < 0) {
            return RetentionResult.NONE;
        }
        ioLock.lock();
        try {
            List<Segment> drop = new ArrayList<>();
            long freed = 0;
            synchronized (segmentsLock) {
                Segment[] segs = segments;
                long total = 0;
                for (Segment s : segs) {
                    total += s.size();
                }
                int d = 0;
                while (d < segs.length - 1 && segs[d].sealed) {
                    Segment s = segs[d];
                    long newest = s.maxTimestamp >= 0 ? s.maxTimestamp : lastModified(s);
                    boolean byTime = cfg.retentionMs() >= 0 && newest < nowMs - cfg.retentionMs();
                    boolean bySize = cfg.retentionBytes() >= 0 && total - s.size() >= cfg.retentionBytes();
                    if (!byTime && !bySize) {
                        break;
                    }
                    drop.add(s);
                    total -= s.size();
                    freed += s.size();
                    d++;
                }
                if (drop.isEmpty()) {
                    return RetentionResult.NONE;
                }
                segments = Arrays.copyOfRange(segs, d, segs.length);
            }
            firstIndex = Math.max(firstIndex, segments[0].baseIndex);
            logStartOffset = Math.max(logStartOffset, segments[0].startOffset);
            cache.truncateBefore(firstIndex);
            Checkpoints.writeLogStart(dir, new Checkpoints.LogStart(firstIndex, logStartOffset));
            deleteSegments(drop);
            log.info("retention deleted {} segment(s), {} bytes of log {}; log start offset now {}",
                    drop.size(), freed, name, logStartOffset);
            return new RetentionResult(drop.size(), freed);
        } catch (IOException e) {
            throw new StorageException("log " + name + ": retention failed: " + e, e);
        } finally {
            ioLock.unlock();
        }
    }

    private static long lastModified(Segment s) {
        try {
            return Files.getLastModifiedTime(s.logFile).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Takes segments out of service: renamed to {@code .deleted} at once (so a restart never sees them), closed and
     * removed after {@code fileDeleteDelayMs}, so zero-copy reads already handed out can finish.
     */
    private void deleteSegments(List<Segment> drop) throws IOException {
        for (Segment s : drop) {
            s.deleted = true;
            List<Path> renamed = new ArrayList<>(3);
            for (Path p : List.of(s.logFile, s.indexFile, s.timeIndexFile, AbortedTxnIndex.file(dir, s.baseIndex))) {
                if (Files.exists(p)) {
                    Path to = p.resolveSibling(p.getFileName() + ".deleted");
                    Files.move(p, to, StandardCopyOption.REPLACE_EXISTING);
                    renamed.add(to);
                }
            }
            manager.later(() -> {
                s.closeChannels();
                for (Path p : renamed) {
                    if (p.getFileName().toString().equals(s.logFile.getFileName() + ".deleted")) {
                        // Allocated and written to its end: worth more as the next segment than as free space.
                        manager.segmentPool().retire(p);
                        continue;
                    }
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        log.warn("could not delete {}: {}", p, e.toString());
                    }
                }
            });
        }
        if (!drop.isEmpty()) {
            abortedTxns.removeSegments(drop.stream().map(s -> s.baseIndex).toList());
            Checkpoints.syncDirectory(dir);
        }
    }

    // ------------------------------------------------------------------ aborted transactions

    /**
     * Records an aborted transaction once its ABORT marker ({@code t.lastOffset()}) is in the log, in the index of the
     * segment holding the marker. Written but not fsynced ({@link #flushAbortedTxnIndex} does, and the caller can
     * rebuild lost entries from the log's markers). Idempotent: an entry for the same marker offset is ignored, so
     * replaying the log after a restart may add everything again.
     *
     * @return false when the entry was already there
     * @throws IllegalArgumentException when the marker offset is not in the log
     */
    public boolean appendAbortedTxn(AbortedTxn t) {
        ensureOpen();
        if (t.lastOffset() >= logEndOffset || t.lastOffset() < logStartOffset) {
            throw new IllegalArgumentException("log " + name + ": aborted transaction marker at " + t.lastOffset()
                    + " is outside the log [" + logStartOffset + ", " + logEndOffset + ")");
        }
        Segment[] segs = segments;
        Segment holder = segs[0];
        for (Segment s : segs) {
            if (s.startOffset <= t.lastOffset()) {
                holder = s;
            }
        }
        try {
            return abortedTxns.append(holder.baseIndex, t);
        } catch (IOException e) {
            throw new StorageException("log " + name + ": cannot write the aborted-transaction index: " + e, e);
        }
    }

    /**
     * Fsyncs the aborted-transaction entries appended since the last flush. Call it before recording that the log's
     * markers up to some offset need no replay (a producer-state snapshot).
     */
    public void flushAbortedTxnIndex() {
        try {
            abortedTxns.flush();
        } catch (IOException e) {
            throw new StorageException("log " + name + ": cannot fsync the aborted-transaction index: " + e, e);
        }
    }

    /**
     * The aborted transactions whose offsets overlap {@code [fromOffset, toOffsetExclusive)}, in marker order: what
     * a read_committed fetch of that range reports.
     */
    public List<AbortedTxn> abortedTxns(long fromOffset, long toOffsetExclusive) {
        return abortedTxns.overlapping(fromOffset, toOffsetExclusive);
    }

    /**
     * The start offset of the first segment whose aborted-transaction index was missing when the log was opened
     * (lost, or written before the index existed), or -1. The owner replays the log from there, re-adding entries
     * with {@link #appendAbortedTxn}, then calls {@link #markAbortedTxnIndexComplete}.
     */
    public long abortedTxnIndexMissingFrom() {
        return abortedTxns.missingFromOffset();
    }

    /** Declares the rebuilt index complete: every segment gets its index file, so the next open trusts it. */
    public void markAbortedTxnIndexComplete() {
        try {
            abortedTxns.markComplete(Arrays.asList(segments));
        } catch (IOException e) {
            throw new StorageException("log " + name + ": cannot write the aborted-transaction index: " + e, e);
        }
    }

    // ------------------------------------------------------------------ compaction hooks (LogCleaner)

    private volatile java.util.function.LongSupplier cleanableEndOffset;

    /**
     * Bounds compaction of this log: the {@link LogCleaner} only rewrites sealed segments wholly below
     * {@code bound}'s offset (give it the high watermark, or the last stable offset: what is committed). Without one
     * the bound is the durable end offset, right for a log that commits on local durability alone.
     */
    public void setCleanableEndOffset(java.util.function.LongSupplier bound) {
        this.cleanableEndOffset = bound;
    }

    long cleanableEndOffset() {
        java.util.function.LongSupplier b = cleanableEndOffset;
        long durable = durableEndOffset;
        return b == null ? durable : Math.min(durable, b.getAsLong());
    }

    Segment[] segmentsSnapshot() {
        return segments;
    }

    boolean isClosed() {
        return closed;
    }

    /** Makes the replacement of a segment: file swap plus the new in-memory segment. */
    interface SegmentReplacement {
        Segment commit() throws IOException;
    }

    /**
     * Cleaner: swaps a compacted copy in for {@code old}, under the I/O lock (so retention, truncation, reset and
     * close, which change segments under it too, see either the old segment or the new one), if {@code old} is still
     * in service and unchanged (same last index and size). Returns false, touching nothing, otherwise. Readers keep
     * using the old segment's open channel until fileDeleteDelayMs after the swap.
     */
    boolean replaceSegment(Segment old, long expectedLastIndex, int expectedSize, SegmentReplacement replacement)
            throws IOException {
        ioLock.lock();
        try {
            if (closed || old.deleted || !old.sealed || old.lastIndex != expectedLastIndex
                    || old.writtenSize != expectedSize) {
                return false;
            }
            Segment[] segs = segments;
            int at = -1;
            for (int i = 0; i < segs.length - 1; i++) {
                if (segs[i] == old) {
                    at = i;
                }
            }
            if (at < 0) {
                return false;
            }
            Segment fresh = replacement.commit();
            synchronized (segmentsLock) {
                Segment[] cur = segments.clone();
                for (int i = 0; i < cur.length; i++) {
                    if (cur[i] == old) {
                        cur[i] = fresh;
                    }
                }
                segments = cur;
            }
            // The tail cache may still hold the uncompacted entries; they are written, so readers can go to the file.
            cache.truncateBefore(old.lastIndex + 1);
            manager.later(old::closeChannels);
            return true;
        } finally {
            ioLock.unlock();
        }
    }

    /** Applies new settings; rolling and retention use them from the next append / retention pass. */
    public void updateConfig(LogConfig cfg) {
        this.config = cfg;
    }

    public LogConfig config() {
        return config;
    }

    /** Bytes of all segments (appended, including what is not yet written). */
    public long sizeBytes() {
        long total = 0;
        for (Segment s : segments) {
            total += s.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.length;
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    /** The base Raft index of each segment, oldest first (for tools and tests). */
    public List<Long> segmentBaseIndexes() {
        List<Long> out = new ArrayList<>();
        for (Segment s : segments) {
            out.add(s.baseIndex);
        }
        return out;
    }

    /** The write failure that fenced this log, or null. */
    public StorageException failure() {
        return failure;
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("log " + name + " is closed");
        }
    }

    private void ensureReadable() {
        if (closed) {
            throw new StorageException("log " + name + " is closed");
        }
    }

    /**
     * Flushes pending appends, seals the active segment and writes the clean-shutdown marker (unless the log is
     * fenced by a failure: then the next open recovers by scanning). Idempotent.
     */
    @Override
    public void close() {
        close(true);
    }

    void close(boolean clean) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            awaitDurable();
        } catch (StorageException e) {
            log.warn("log {}: closing with failed appends: {}", name, e.getMessage());
        }
        ioLock.lock();
        try {
            if (clean && failure == null) {
                try {
                    Segment active = segments[segments.length - 1];
                    if (!active.sealed) {
                        active.seal();
                    }
                    terms.checkpointIfDirty(dir);
                    Checkpoints.writeCleanShutdown(dir, lastIndex);
                } catch (IOException e) {
                    log.warn("log {}: clean shutdown failed ({}); the next open will recover by scanning", name, e.toString());
                }
            }
            for (Segment s : segments) {
                s.closeChannels();
            }
            cache.clear();
        } finally {
            ioLock.unlock();
            manager.onClosed(this);
        }
    }

    @Override
    public String toString() {
        return "PartitionLog[" + name + ", indexes " + firstIndex + ".." + lastIndex + ", offsets " + logStartOffset
                + ".." + logEndOffset + ", " + segments.length + " segment(s)]";
    }
}
