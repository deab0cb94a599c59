package io.ailurus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The aborted transactions of one partition log, so a read_committed fetch can tell consumers which records to
 * drop. Each segment has a {@code <baseIndex>.txnindex} file holding the entries whose ABORT marker
 * ({@link AbortedTxn#lastOffset()}) lies in that segment: deleting a segment (retention, prefix truncation) can
 * then drop its entries with it, because a transaction whose marker is gone has no data left either.
 *
 * <p>File format: fixed 36-byte rows {@code long producerId, long firstOffset, long lastOffset,
 * long lastStableOffset, int crc32c(previous 32 bytes)}. Appends are written but not fsynced one by one: an fsync
 * on the partition's shard cost up to tens of milliseconds on a loaded machine, and the entries can be derived
 * again from the log (the owner replays the markers after its last producer-state snapshot, and calls
 * {@link #flush} before writing one). A torn or damaged row ends the file: it and everything after it are cut.
 *
 * <p>A segment created by this version gets an empty file at once, so a missing file at load means the index
 * of that segment was lost (or predates this version): {@link #missingFromOffset()} tells the owner, which
 * rebuilds the entries by replaying the log ({@link #append} is idempotent) and then calls
 * {@link #markComplete}.
 *
 * <p>Entries are also kept in memory (by marker offset) for lookups. Thread-safe: one monitor, held briefly;
 * lookups copy what they return.
 */
final class AbortedTxnIndex {
    private static final Logger log = LoggerFactory.getLogger(AbortedTxnIndex.class);
    static final String SUFFIX = ".txnindex";
    static final int ROW = 36;

    private final Path dir;
    /** Marker offset -> entry, every segment's entries. */
    private final NavigableMap<Long, AbortedTxn> byLastOffset = new TreeMap<>();
    /** Segment base index -> its entries' marker offsets (to drop them with the segment). */
    private final Map<Long, List<Long>> bySegment = new TreeMap<>();
    private long missingFromOffset = -1;
    /** Segments whose file has appends not yet fsynced. */
    private final java.util.Set<Long> unflushed = new java.util.HashSet<>();

    private AbortedTxnIndex(Path dir) {
        this.dir = dir;
    }

    static Path file(Path dir, long segmentBaseIndex) {
        return dir.resolve(Segment.fileName(segmentBaseIndex, SUFFIX));
    }

    /** Creates the empty index file of a new segment (the caller fsyncs the directory). */
    static void createEmpty(Path dir, long segmentBaseIndex) throws IOException {
        Path f = file(dir, segmentBaseIndex);
        Files.deleteIfExists(f);
        Files.createFile(f);
    }

    /**
     * Loads the index files of {@code segments}, dropping entries whose marker is at or after
     * {@code logEndOffset} (written ahead of a log tail that a crash or truncation removed).
     */
    static AbortedTxnIndex load(Path dir, List<Segment> segments, long logEndOffset) throws IOException {
        AbortedTxnIndex idx = new AbortedTxnIndex(dir);
        for (Segment s : segments) {
            Path f = file(dir, s.baseIndex);
            List<AbortedTxn> rows;
            try {
                rows = readRows(f);
            } catch (NoSuchFileException e) {
                if (idx.missingFromOffset < 0) {
                    idx.missingFromOffset = s.startOffset;
                }
                continue;
            }
            List<AbortedTxn> kept = rows.stream().filter(r -> r.lastOffset() < logEndOffset).toList();
            if (kept.size() != rows.size() || Files.size(f) != (long) rows.size() * ROW) {
                log.info("{}: keeping {} of {} aborted-transaction entries (torn row or beyond the log end {})",
                        f, kept.size(), rows.size(), logEndOffset);
                rewrite(f, kept);
            }
            for (AbortedTxn t : kept) {
                idx.put(s.baseIndex, t);
            }
        }
        return idx;
    }

    private static List<AbortedTxn> readRows(Path f) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        List<AbortedTxn> rows = new ArrayList<>(bytes.length / ROW);
        CRC32C crc = new CRC32C();
        while (b.remaining() >= ROW) {
            int at = b.position();
            crc.reset();
            crc.update(bytes, at, ROW - 4);
            long pid = b.getLong();
            long first = b.getLong();
            long last = b.getLong();
            long lso = b.getLong();
            if (b.getInt() != (int) crc.getValue() || first < 0 || last < first || lso < 0) {
                break; // a torn append: nothing after it was acknowledged either
            }
            rows.add(new AbortedTxn(pid, first, last, lso));
        }
        return rows;
    }

    private static void rewrite(Path f, List<AbortedTxn> rows) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (AbortedTxn t : rows) {
                writeRow(ch, t);
            }
            ch.force(true);
        }
    }

    private static void writeRow(FileChannel ch, AbortedTxn t) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(ROW);
        b.putLong(t.producerId()).putLong(t.firstOffset()).putLong(t.lastOffset()).putLong(t.lastStableOffset());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, ROW - 4);
        b.putInt((int) crc.getValue()).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private void put(long segmentBase, AbortedTxn t) {
        byLastOffset.put(t.lastOffset(), t);
        bySegment.computeIfAbsent(segmentBase, k -> new ArrayList<>()).add(t.lastOffset());
    }

    /**
     * Adds {@code t} to the file of the segment holding its marker (written, fsynced by {@link #flush}). A second
     * entry for the same marker offset is ignored (replay after a restart re-adds what is already there).
     *
     * @return false when the entry was already indexed
     */
    synchronized boolean append(long segmentBase, AbortedTxn t) throws IOException {
        if (byLastOffset.containsKey(t.lastOffset())) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file(dir, segmentBase), StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            writeRow(ch, t);
        }
        unflushed.add(segmentBase);
        put(segmentBase, t);
        return true;
    }

    /** Fsyncs every file appended to since the last flush. */
    synchronized void flush() throws IOException {
        for (Long base : unflushed) {
            Path f = file(dir, base);
            if (Files.exists(f)) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
        }
        unflushed.clear();
    }

    /**
     * The entries overlapping {@code [from, toExclusive)}, in marker order. Stops at the first entry whose last
     * stable offset reaches {@code toExclusive}: every transaction aborted after it started at or after that
     * offset, so it cannot overlap.
     */
    synchronized List<AbortedTxn> overlapping(long from, long toExclusive) {
        List<AbortedTxn> out = new ArrayList<>();
        for (AbortedTxn t : byLastOffset.tailMap(from, true).values()) {
            if (t.firstOffset() < toExclusive) {
                out.add(t);
            }
            if (t.lastStableOffset() >= toExclusive) {
                break;
            }
        }
        return out;
    }

    /** Drops the entries of deleted segments (their files are removed with the segments' other files). */
    synchronized void removeSegments(Collection<Long> segmentBases) {
        for (Long base : segmentBases) {
            unflushed.remove(base);
            List<Long> offsets = bySegment.remove(base);
            if (offsets != null) {
                offsets.forEach(byLastOffset::remove);
            }
        }
    }

    /** Suffix truncation: drops every entry whose marker is at or after {@code offset}, on disk too. */
    synchronized void truncateFrom(long offset) throws IOException {
        for (var e : bySegment.entrySet()) {
            List<Long> offsets = e.getValue();
            if (offsets.stream().anyMatch(o -> o >= offset)) {
                offsets.stream().filter(o -> o >= offset).forEach(byLastOffset::remove);
                offsets.removeIf(o -> o >= offset);
                List<AbortedTxn> kept = offsets.stream().map(byLastOffset::get).toList();
                Path f = file(dir, e.getKey());
                if (Files.exists(f)) {
                    rewrite(f, kept);
                }
            }
        }
    }

    /** Forgets everything (log reset); the segments' files go with them. */
    synchronized void clear() {
        byLastOffset.clear();
        bySegment.clear();
        unflushed.clear();
    }

    /** The start offset of the first segment whose index file was missing at load, or -1 when none was. */
    synchronized long missingFromOffset() {
        return missingFromOffset;
    }

    /** After the owner re-added every entry from {@link #missingFromOffset()} on: gives segments their files. */
    synchronized void markComplete(List<Segment> segments) throws IOException {
        for (Segment s : segments) {
            Path f = file(dir, s.baseIndex);
            if (!Files.exists(f)) {
                Files.createFile(f);
            }
        }
        Checkpoints.syncDirectory(dir);
        missingFromOffset = -1;
    }

    synchronized int size() {
        return byLastOffset.size();
    }
}
