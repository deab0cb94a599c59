package io.ailurus.storage;

import io.ailurus.storage.format.EntryHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compacts the logs of one data directory whose {@link LogConfig#compaction()} is enabled (Kafka's
 * {@code cleanup.policy=compact}), on its own thread: never on a network thread, and holding a log's I/O lock only for
 * the few renames of a segment swap.
 * <p>A pass over one log: the cleanable part is the prefix of sealed segments wholly below
 * {@link PartitionLog#setCleanableEndOffset the log's bound} (high watermark / last stable offset) and older than
 * {@code minCompactionLagMs}; never the active segment. The part from the first dirty offset on is scanned into an
 * {@link OffsetMap} (key -> latest offset); then every cleanable segment up to the last one mapped is rewritten, entry
 * by entry, keeping the records that are still the latest for their key ({@link BatchCompactor}), and swapped in
 * ({@link SegmentSwap}).
 * <p>The segment log is also the Raft log of replicated partitions, so no entry is ever removed: every entry keeps its
 * Raft index, term and type, Raft-only entries are copied as they are, and a data entry's batch shrinks (possibly to
 * an empty batch) but keeps its offsets. Each replica compacts its own copy, below its own committed point.
 * <p>A log is picked when its dirty ratio (dirty bytes / cleanable bytes) exceeds {@code minCleanableDirtyRatio},
 * when its oldest dirty data is older than {@code maxCompactionLagMs}, or when a kept tombstone's delete horizon has
 * passed; the dirtiest first.
 */
public final class LogCleaner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogCleaner.class);

    private final LogManager manager;
    private final CleanerConfig config;
    private final CleanerStats stats = new CleanerStats();
    private final Map<PartitionLog, CleanerCheckpoint> checkpoints = new ConcurrentHashMap<>();
    private final Object passLock = new Object();
    private final Object wake = new Object();
    private final Thread thread;
    private OffsetMap map;
    private volatile boolean stopped;

    /** What a pass over one log is about to do. */
    private record Candidate(PartitionLog log, Segment[] segments, int cleanable, int firstDirty, double ratio,
                             boolean due, CleanerCheckpoint checkpoint) {
    }

    /** What one pass did. */
    public record PassResult(int segmentsRewritten, long recordsRemoved, long bytesBefore, long bytesAfter,
                             long firstDirtyOffset) {
        static final PassResult NOTHING = new PassResult(0, 0, 0, 0, -1);
    }

    private LogCleaner(LogManager manager, CleanerConfig config) {
        this.manager = manager;
        this.config = config;
        this.thread = Thread.ofPlatform().name("ailurus-cleaner-" + manager.dataDir().getFileName()).daemon(true)
                .unstarted(this::loop);
    }

    /** A cleaner for {@code manager}'s logs, not started: call {@link #runOnce()} or {@link #clean} yourself. */
    public static LogCleaner create(LogManager manager, CleanerConfig config) {
        return new LogCleaner(manager, config);
    }

    /** A cleaner for {@code manager}'s logs that checks them every {@code config.intervalMs()} on its own thread. */
    public static LogCleaner start(LogManager manager, CleanerConfig config) {
        LogCleaner c = new LogCleaner(manager, config);
        c.thread.start();
        log.info("log cleaner started for {} (every {} ms, {} MiB offset map)", manager.dataDir(), config.intervalMs(),
                config.dedupeBufferBytes() >> 20);
        return c;
    }

    public CleanerStats stats() {
        return stats;
    }

    public CleanerConfig config() {
        return config;
    }

    private void loop() {
        while (!stopped) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.warn("log cleaner pass failed", e);
            }
            synchronized (wake) {
                if (!stopped) {
                    try {
                        wake.wait(config.intervalMs());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Compacts every log that needs it now, dirtiest first (logs due by lag or delete horizon before the others).
     * Returns the number of logs compacted.
     */
    public int runOnce() {
        long now = config.clock().getAsLong();
        List<Candidate> due = new ArrayList<>();
        double maxRatio = 0;
        for (PartitionLog l : manager.logs()) {
            Candidate c = analyze(l, now, false);
            if (c != null) {
                maxRatio = Math.max(maxRatio, c.ratio);
                if (c.due || c.ratio > l.config().compaction().minCleanableDirtyRatio()) {
                    due.add(c);
                }
            }
        }
        checkpoints.keySet().removeIf(PartitionLog::isClosed);
        stats.maxDirtyRatio(maxRatio);
        due.sort(Comparator.comparing((Candidate c) -> !c.due).thenComparing(c -> -c.ratio));
        int done = 0;
        for (Candidate c : due) {
            if (stopped) {
                break;
            }
            if (clean(c.log, false) != PassResult.NOTHING) {
                done++;
            }
        }
        return done;
    }

    /**
     * Compacts {@code log} now, whatever its dirty ratio (bounds, lags and the active segment still apply). Runs on
     * the caller's thread; passes never overlap. Returns what it did ({@link PassResult#NOTHING} when there was
     * nothing it may compact, or the log changed under it).
     */
    public PassResult clean(PartitionLog log) {
        return clean(log, true);
    }

    private PassResult clean(PartitionLog l, boolean forced) {
        synchronized (passLock) {
            long now = config.clock().getAsLong();
            Candidate c = analyze(l, now, forced);
            if (c == null) {
                return PassResult.NOTHING;
            }
            long t0 = System.nanoTime();
            try {
                PassResult r = pass(c, now);
                stats.passDone(System.nanoTime() - t0);
                if (r.segmentsRewritten > 0) {
                    log.info("compacted {}: {} segment(s) rewritten, {} records removed, {} -> {} bytes, first dirty offset now {}",
                            l.name(), r.segmentsRewritten, r.recordsRemoved, r.bytesBefore, r.bytesAfter, r.firstDirtyOffset);
                }
                return r;
            } catch (IOException | RuntimeException e) {
                if (!l.isClosed() && !stopped) {
                    stats.failed();
                    log.warn("compaction of {} failed; the log is left as it was: {}", l.name(), e.toString());
                }
                return PassResult.NOTHING;
            }
        }
    }

    private CleanerCheckpoint checkpoint(PartitionLog l) {
        return checkpoints.computeIfAbsent(l, k -> CleanerCheckpoint.read(k.dir()));
    }

    /** The log's cleanable range and dirtiness, or null when it has nothing cleanable (or, unless forced, not due). */
    private Candidate analyze(PartitionLog l, long now, boolean forced) {
        CompactionConfig cc = l.config().compaction();
        if (l.isClosed() || !cc.enabled()) {
            return null;
        }
        Segment[] segs = l.segmentsSnapshot();
        long bound = l.cleanableEndOffset();
        int n = 0;
        for (int i = 0; i < segs.length - 1; i++) {
            Segment s = segs[i];
            if (!s.sealed || s.deleted || s.corruptFrom >= 0 || s.nextOffset > bound) {
                break;
            }
            if (cc.minCompactionLagMs() > 0 && s.maxTimestamp > now - cc.minCompactionLagMs()) {
                break;
            }
            n++;
        }
        if (n == 0) {
            return null;
        }
        CleanerCheckpoint cp = checkpoint(l);
        long firstDirty = Math.max(cp.firstDirtyOffset(), segs[0].startOffset);
        int fd = n;
        long clean = 0;
        long dirty = 0;
        for (int i = 0; i < n; i++) {
            if (segs[i].nextOffset <= firstDirty) {
                clean += segs[i].size();
            } else {
                if (fd == n) {
                    fd = i;
                }
                dirty += segs[i].size();
            }
        }
        double ratio = clean + dirty == 0 ? 0 : (double) dirty / (clean + dirty);
        boolean lagDue = fd < n && cc.maxCompactionLagMs() != Long.MAX_VALUE
                && earliestTimestamp(segs[fd]) >= 0 && earliestTimestamp(segs[fd]) < now - cc.maxCompactionLagMs();
        boolean horizonDue = cp.nextDeleteHorizonMs() <= now;
        if (!forced && !lagDue && !horizonDue && !(dirty > 0 && ratio > cc.minCleanableDirtyRatio())) {
            return dirty > 0 ? new Candidate(l, segs, n, fd, ratio, false, cp) : null;
        }
        return new Candidate(l, segs, n, fd, ratio, lagDue || horizonDue, cp);
    }

    private static long earliestTimestamp(Segment s) {
        return s.timeIndex.size() > 0 ? s.timeIndex.timestampAt(0) : s.maxTimestamp;
    }

    private PassResult pass(Candidate c, long now) throws IOException {
        PartitionLog l = c.log;
        CompactionConfig cc = l.config().compaction();
        Segment[] segs = c.segments;
        Throttler throttle = new Throttler(config.ioBytesPerSecond(), () -> stopped || l.isClosed());
        if (map == null) {
            map = new OffsetMap(config.dedupeBufferBytes());
        } else {
            map.clear();
        }
        long firstDirty = Math.max(c.checkpoint.firstDirtyOffset(), segs[0].startOffset);
        long mapEnd = firstDirty;
        int last = c.firstDirty - 1;
        for (int i = c.firstDirty; i < c.cleanable; i++) {
            long stoppedAt = mapSegment(l, segs[i], throttle);
            last = i;
            if (stoppedAt >= 0) {
                mapEnd = stoppedAt;
                break;
            }
            mapEnd = segs[i].nextOffset;
        }
        if (last < 0) {
            last = c.cleanable - 1;
        }
        int rewritten = 0;
        long removed = 0;
        long before = 0;
        long after = 0;
        long horizon = Long.MAX_VALUE;
        for (int i = 0; i <= last; i++) {
            if (stopped || l.isClosed()) {
                return PassResult.NOTHING;
            }
            Segment src = segs[i];
            Rewrite r = rewrite(l, src, cc, now, throttle);
            horizon = Math.min(horizon, r.horizon);
            if (r.size < 0) {
                continue;
            }
            int size = r.size;
            SparseIndex index = r.index;
            boolean swapped = l.replaceSegment(src, src.lastIndex, src.writtenSize, () -> {
                SegmentSwap.commit(l.dir(), src.baseIndex);
                Segment fresh = new Segment(src.baseIndex, l.dir(), src.startOffset, index, src.timeIndex);
                fresh.lastIndex = src.lastIndex;
                fresh.lastTerm = src.lastTerm;
                fresh.nextOffset = src.nextOffset;
                fresh.maxTimestamp = src.maxTimestamp;
                fresh.maxTimestampOffset = src.maxTimestampOffset;
                fresh.createdMs = src.createdMs;
                fresh.restoreEnd(size);
                fresh.adoptSaltOfFirstEntry();
                fresh.verified = true;
                IndexFiles.write(fresh.indexFile, fresh.timeIndexFile, fresh.index, fresh.timeIndex, fresh.sealInfo());
                Checkpoints.syncDirectory(l.dir());
                fresh.sealed = true;
                return fresh;
            });
            if (!swapped) {
                Files.deleteIfExists(SegmentSwap.cleanedFile(l.dir(), src.baseIndex));
                log.debug("compaction of {} stopped: segment {} changed during the pass", l.name(), src);
                return PassResult.NOTHING;
            }
            stats.segmentRewritten();
            stats.removed(r.removed);
            rewritten++;
            removed += r.removed;
            before += src.writtenSize;
            after += size;
        }
        CleanerCheckpoint cp = new CleanerCheckpoint(Math.max(mapEnd, c.checkpoint.firstDirtyOffset()), horizon);
        cp.write(l.dir());
        checkpoints.put(l, cp);
        return new PassResult(rewritten, removed, before, after, cp.firstDirtyOffset());
    }

    /**
     * Adds the keys of one dirty segment to the map. Returns -1 when the whole segment fit, else the offset of the
     * first record that did not (records before it are mapped).
     */
    private long mapSegment(PartitionLog l, Segment s, Throttler throttle) throws IOException {
        SegmentScanner sc = new SegmentScanner(s, 0, s.baseIndex, Integer.MAX_VALUE);
        long[] stoppedAt = {-1};
        DiskEntry e;
        while ((e = sc.next()) != null) {
            if (e.type() != EntryType.DATA) {
                continue;
            }
            if (stopped || l.isClosed()) {
                throw new IOException("log " + l.name() + " closed during compaction");
            }
            ByteBuffer payload = SegmentScanner.readPayload(e);
            stats.read(e.size() + EntryHeader.SIZE);
            throttle.acquire(e.size() + EntryHeader.SIZE);
            try {
                boolean complete = BatchCompactor.forEachKey(payload, config.compression(), (key, offset) -> {
                    if (map.put(key, offset)) {
                        return true;
                    }
                    stoppedAt[0] = offset;
                    return false;
                });
                if (!complete) {
                    return stoppedAt[0];
                }
            } catch (IOException x) {
                // Its records stay whole in the rewrite too, so not knowing its keys loses nothing.
                log.warn("compaction skips the keys of an unreadable batch in {} at offset {}: {}", s.logFile,
                        e.baseOffset(), x.getMessage());
            }
        }
        return -1;
    }

    /** A rewritten segment: size -1 when nothing changed (no file left behind). */
    private record Rewrite(int size, SparseIndex index, long removed, long horizon) {
    }

    /**
     * Copies {@code src} into its {@code .cleaned} file, compacting its batches. The file is only created at the first
     * entry that changes (everything before it is copied as it is then): a segment with nothing to remove costs reads,
     * no writes.
     */
    private Rewrite rewrite(PartitionLog l, Segment src, CompactionConfig cc, long now, Throttler throttle)
            throws IOException {
        Path cleaned = SegmentSwap.cleanedFile(l.dir(), src.baseIndex);
        Files.deleteIfExists(cleaned);
        SparseIndex index = new SparseIndex();
        int rows = src.index.size();
        int row = 0;
        int pos = 0;
        long removed = 0;
        long horizon = Long.MAX_VALUE;
        FileChannel out = null;
        // Every entry of a file carries the same salt (recovery stops at the first entry with another one, as a
        // leftover of a recycled file's earlier use): rewritten entries take the salt of the entries copied as they are.
        int salt = fileSalt(src);
        try {
            SegmentScanner sc = new SegmentScanner(src, 0, src.baseIndex, Integer.MAX_VALUE);
            DiskEntry e;
            while ((e = sc.next()) != null) {
                // A log being closed or deleted (topic deletion removes its directory): stop at once, leave nothing.
                if (stopped || l.isClosed()) {
                    throw new IOException("log " + l.name() + " closed during compaction");
                }
                ByteBuffer payload = SegmentScanner.readPayload(e);
                stats.read(e.size() + EntryHeader.SIZE);
                throttle.acquire(e.size() + EntryHeader.SIZE);
                // The same sparse-index rows (Raft index, offset before) at the entries' new positions.
                while (row < rows && src.index.indexAt(row) < e.index()) {
                    row++;
                }
                if (row < rows && src.index.indexAt(row) == e.index()) {
                    index.add(e.index(), src.index.offsetAt(row), pos);
                    row++;
                }
                ByteBuffer kept = payload;
                if (e.type() == EntryType.DATA) {
                    try {
                        BatchCompactor.Outcome o = BatchCompactor.compact(payload, config.compression(), map, now,
                                cc.deleteRetentionMs());
                        horizon = Math.min(horizon, o.tombstoneHorizon());
                        if (o.changed()) {
                            removed += o.recordsRemoved();
                            kept = o.batch();
                        }
                    } catch (IOException x) {
                        log.warn("compaction keeps an unreadable batch of {} at offset {} as it is: {}", src.logFile,
                                e.baseOffset(), x.getMessage());
                    }
                }
                if (out == null) {
                    if (kept == payload) {
                        pos += EntryHeader.SIZE + e.size();
                        continue;
                    }
                    // First change: everything before this entry is copied as it is.
                    out = FileChannel.open(cleaned, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    copyPrefix(src, out, pos);
                }
                ByteBuffer buf = ByteBuffer.allocate(EntryHeader.SIZE + kept.remaining());
                EntryHeader.write(buf, e.type(), e.index(), e.term(), kept, salt);
                buf.put(kept.duplicate());
                buf.flip();
                int n = buf.remaining();
                IoMode.writeFully(out, buf, pos);
                pos += n;
                stats.written(n);
                throttle.acquire(n);
            }
            if (out == null) {
                return new Rewrite(-1, null, 0, horizon);
            }
            out.force(true);
            out.close();
            return new Rewrite(pos, index, removed, horizon);
        } catch (IOException | RuntimeException x) {
            if (out != null) {
                out.close();
            }
            Files.deleteIfExists(cleaned);
            throw x;
        }
    }

    /** The salt in the header of the segment file's first entry (0 for an empty file). */
    private static int fileSalt(Segment src) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(EntryHeader.SIZE);
        while (b.hasRemaining()) {
            if (src.readChannel.read(b, b.position()) < 0) {
                return 0;
            }
        }
        return EntryHeader.shape(b, 0, Integer.MAX_VALUE) == EntryHeader.Shape.PLAUSIBLE ? EntryHeader.read(b, 0).salt() : 0;
    }

    /** Copies the first {@code length} bytes of {@code src}'s file (entries that did not change) to {@code out}. */
    private void copyPrefix(Segment src, FileChannel out, int length) throws IOException {
        long done = 0;
        while (done < length) {
            long n = src.readChannel.transferTo(done, length - done, out.position(done));
            if (n <= 0) {
                throw new IOException(src.logFile + " ended before position " + length + " while compacting it");
            }
            done += n;
        }
        stats.written(length);
    }

    /** Stops the thread (waiting for a pass in progress to stop at its next entry or segment). */
    @Override
    public void close() {
        stopped = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        if (thread.isAlive()) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
