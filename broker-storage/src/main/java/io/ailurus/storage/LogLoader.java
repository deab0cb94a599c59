package io.ailurus.storage;

import io.ailurus.storage.format.BatchHeader;
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
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens a log directory: creates it, or recovers it. Recovery rules:
 * <ul>
 *   <li>A segment whose index files are intact and sealed is trusted without a scan, except the last segment after
 *   an unclean shutdown (no clean-shutdown marker).</li>
 *   <li>Every other segment is scanned and every entry CRC-checked; its indexes are rebuilt from the scan.</li>
 *   <li>A bad entry with no valid data after it (in later segments) is a torn tail: the file is cut at the last valid
 *   entry (WARN with file, position and bytes dropped).</li>
 *   <li>A bad entry with valid data after it is damage in the middle: reported at ERROR, the range is marked and never
 *   served, later segments are kept.</li>
 * </ul>
 */
final class LogLoader {
    private static final Logger log = LoggerFactory.getLogger(LogLoader.class);

    /** The recovered state of a log. */
    record Loaded(List<Segment> segments, TermHistory terms, long firstIndex, long logStartOffset) {
    }

    private record TermSeen(long term, long index, long offset) {
    }

    private LogLoader() {
    }

    static Loaded load(Path dir, LogConfig config, long nowMs) throws IOException {
        Files.createDirectories(dir);
        // A compaction interrupted by a crash: finish its committed swap or discard its unfinished copy first.
        SegmentSwap.recover(dir);
        List<Long> bases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".deleted") || n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                } else if (n.matches("\\d{20}\\.log")) {
                    bases.add(Long.parseLong(n.substring(0, 20)));
                }
            }
        }
        bases.sort(null);
        Long clean = Checkpoints.readCleanShutdown(dir);
        Checkpoints.LogStart start = Checkpoints.readLogStart(dir);
        TermHistory terms = TermHistory.load(dir);
        List<Segment> segments = new ArrayList<>();
        List<TermSeen> seen = new ArrayList<>();
        long prevNext = start != null ? start.logStartOffset() : -1;
        boolean prevCorrupt = false;

        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean isLast = i == bases.size() - 1;
            Path logFile = dir.resolve(Segment.fileName(base, ".log"));
            long size = Files.size(logFile);
            if (size > Integer.MAX_VALUE) {
                throw new IOException(logFile + " is larger than 2 GiB; not a segment of this format");
            }
            IndexFiles.Loaded idx = IndexFiles.load(dir.resolve(Segment.fileName(base, ".index")),
                    dir.resolve(Segment.fileName(base, ".timeindex")), base, size);
            Segment s;
            // The last segment is trusted only after a clean shutdown that recorded exactly its end.
            boolean trusted = idx.problem() == null
                    && (!isLast || (clean != null && clean == idx.seal().lastIndex()));
            if (trusted) {
                SealInfo seal = idx.seal();
                s = new Segment(base, dir, seal.startOffset(), idx.index(), idx.timeIndex());
                s.lastIndex = seal.lastIndex();
                s.lastTerm = seal.lastTerm();
                s.nextOffset = seal.nextOffset();
                s.maxTimestamp = seal.maxTimestamp();
                s.maxTimestampOffset = seal.maxTimestampOffset();
                s.restoreEnd((int) size);
                s.sealed = true;
                s.createdMs = seal.maxTimestamp() >= 0 ? seal.maxTimestamp() : nowMs;
            } else {
                if (idx.problem() != null && (!isLast || clean != null)) {
                    log.info("rebuilding the indexes of {}: {}", logFile, idx.problem());
                }
                s = new Segment(base, dir, Math.max(prevNext, 0), new SparseIndex(), new TimeIndex());
                ScanResult r = scan(s, (int) size, config.indexIntervalBytes(), seen);
                if (prevCorrupt || prevNext < 0) {
                    // No trustworthy chain: start where this segment's own data starts.
                    long first = r.firstDataOffset >= 0 ? r.firstDataOffset : Math.max(prevNext, 0);
                    s.startOffset = first;
                    if (s.isEmpty() || r.firstDataOffset < 0) {
                        s.nextOffset = Math.max(s.nextOffset, first);
                    }
                }
                s.createdMs = s.maxTimestamp >= 0 ? s.maxTimestamp : nowMs;
                if (r.badAt < 0) {
                    s.restoreEnd(r.validEnd, size);
                    s.verified = true;
                    if (!isLast) {
                        s.seal();
                    }
                } else if (!laterSegmentsHaveData(dir, bases, i + 1)) {
                    long lastNonZero = lastNonZeroByte(s, size);
                    log.warn("torn tail in {}: cut at position {} after entry {}, dropping {} bytes ({})",
                            logFile, r.badAt, s.lastIndex, Math.max(0, lastNonZero + 1 - r.badAt), r.why);
                    s.truncateTo(r.validEnd);
                    s.verified = true;
                    for (int j = i + 1; j < bases.size(); j++) {
                        log.warn("removing empty segment {} after the torn tail", Segment.fileName(bases.get(j), ".log"));
                        deleteSegmentFiles(dir, bases.get(j));
                    }
                    segments.add(s);
                    prevNext = s.nextOffset;
                    break;
                } else {
                    log.error("damaged entry in {} at position {} ({}); later segments hold valid data, so the range "
                            + "from there to the end of this segment is kept but never served", logFile, r.badAt, r.why);
                    s.restoreEnd((int) size, size);
                    s.corruptFrom = r.badAt;
                    s.verified = false;
                }
            }
            prevCorrupt = s.corruptFrom >= 0;
            prevNext = s.nextOffset;
            segments.add(s);
        }

        fixChain(dir, segments);

        long firstIndex;
        long logStartOffset;
        if (segments.isEmpty()) {
            firstIndex = start != null ? start.firstIndex() : 1;
            logStartOffset = start != null ? start.logStartOffset() : 0;
        } else {
            Segment first = segments.getFirst();
            Segment last = segments.getLast();
            firstIndex = Math.max(first.baseIndex, start != null ? start.firstIndex() : first.baseIndex);
            logStartOffset = Math.max(first.startOffset, start != null ? start.logStartOffset() : first.startOffset);
            if (start != null && start.firstIndex() > last.lastIndex + 1) {
                // A reset (snapshot install) was recorded but did not finish: its checkpoint wins.
                log.warn("log {} was being reset to index {} when it stopped; finishing the reset", dir, start.firstIndex());
                for (Segment s : segments) {
                    s.closeChannels();
                    deleteSegmentFiles(dir, s.baseIndex);
                }
                segments.clear();
                firstIndex = start.firstIndex();
                logStartOffset = start.logStartOffset();
                terms.clear();
            }
        }
        if (segments.isEmpty()) {
            Segment s = Segment.create(dir, firstIndex, logStartOffset, nowMs);
            segments.add(s);
            Checkpoints.writeLogStart(dir, new Checkpoints.LogStart(firstIndex, logStartOffset));
        } else if (start == null) {
            Checkpoints.writeLogStart(dir, new Checkpoints.LogStart(firstIndex, logStartOffset));
        }

        // The last segment takes appends from now on: its index files would go stale, and a stale pair must never
        // be trusted again (its length could even match after a truncation), so remove them now.
        Segment active = segments.getLast();
        Files.deleteIfExists(active.indexFile);
        Files.deleteIfExists(active.timeIndexFile);
        active.sealed = false;
        active.adoptSaltOfFirstEntry();

        long lastIndex = active.lastIndex;
        terms.truncateAfter(lastIndex);
        for (TermSeen t : seen) {
            if (t.index <= lastIndex) {
                terms.observe(t.term, t.index, t.offset);
            }
        }
        terms.checkpointIfDirty(dir);
        Checkpoints.removeCleanShutdown(dir);
        Checkpoints.syncDirectory(dir);
        return new Loaded(segments, terms, firstIndex, logStartOffset);
    }

    /** Enforces "each segment starts right after the previous one"; what breaks it is damage, not a tail. */
    private static void fixChain(Path dir, List<Segment> segments) throws IOException {
        for (int i = 1; i < segments.size(); i++) {
            Segment prev = segments.get(i - 1);
            Segment cur = segments.get(i);
            if (cur.baseIndex == prev.lastIndex + 1) {
                continue;
            }
            if (prev.corruptFrom >= 0 && cur.baseIndex > prev.lastIndex) {
                prev.lastIndex = cur.baseIndex - 1;
                prev.nextOffset = Math.max(prev.nextOffset, cur.startOffset);
                continue;
            }
            boolean restEmpty = segments.subList(i, segments.size()).stream().allMatch(Segment::isEmpty);
            if (restEmpty) {
                for (Segment s : segments.subList(i, segments.size())) {
                    log.warn("removing empty segment {} that does not continue the log", s.logFile);
                    s.closeChannels();
                    deleteSegmentFiles(dir, s.baseIndex);
                }
                segments.subList(i, segments.size()).clear();
                return;
            }
            if (cur.baseIndex <= prev.lastIndex) {
                throw new IOException("segments " + prev.logFile + " and " + cur.logFile + " overlap (entries up to "
                        + prev.lastIndex + " and from " + cur.baseIndex + "); refusing to guess which is right");
            }
            log.error("entries {}..{} of {} are missing between {} and {}; that range is never served",
                    prev.lastIndex + 1, cur.baseIndex - 1, dir, prev.logFile, cur.logFile);
            prev.corruptFrom = prev.writtenSize;
            prev.lastIndex = cur.baseIndex - 1;
            prev.nextOffset = Math.max(prev.nextOffset, cur.startOffset);
        }
    }

    private static void deleteSegmentFiles(Path dir, long base) throws IOException {
        Files.deleteIfExists(dir.resolve(Segment.fileName(base, ".log")));
        Files.deleteIfExists(dir.resolve(Segment.fileName(base, ".index")));
        Files.deleteIfExists(dir.resolve(Segment.fileName(base, ".timeindex")));
        Files.deleteIfExists(AbortedTxnIndex.file(dir, base));
    }

    private static boolean laterSegmentsHaveData(Path dir, List<Long> bases, int from) throws IOException {
        for (int j = from; j < bases.size(); j++) {
            Path p = dir.resolve(Segment.fileName(bases.get(j), ".log"));
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(EntryHeader.SIZE);
                while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                    // fill
                }
                if (b.position() == EntryHeader.SIZE
                        && EntryHeader.shape(b, 0, Integer.MAX_VALUE) == EntryHeader.Shape.PLAUSIBLE
                        && EntryHeader.read(b, 0).index() == bases.get(j)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long lastNonZeroByte(Segment s, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long end = size;
        while (end > 0) {
            long from = Math.max(0, end - b.capacity());
            b.clear().limit((int) (end - from));
            while (b.hasRemaining() && s.readChannel.read(b, from + b.position()) > 0) {
                // fill
            }
            for (int i = b.position() - 1; i >= 0; i--) {
                if (b.get(i) != 0) {
                    return from + i;
                }
            }
            end = from;
        }
        return -1;
    }

    private static final class ScanResult {
        int validEnd;
        int badAt = -1;
        String why;
        long firstDataOffset = -1;
    }

    /** CRC-checks every entry of {@code s} from position 0, building its indexes as the appender would. */
    private static ScanResult scan(Segment s, int size, int indexIntervalBytes, List<TermSeen> seen) throws IOException {
        ScanResult r = new ScanResult();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long bufStart = 0;
        int bufLen = 0;
        int pos = 0;
        long expected = s.baseIndex;
        long lastTermSeen = seen.isEmpty() ? Long.MIN_VALUE : seen.getLast().term;
        while (true) {
            if (pos + EntryHeader.SIZE > size) {
                if (pos < size && !allZero(s, pos, size)) {
                    r.badAt = pos;
                    r.why = "a partial entry header";
                }
                break;
            }
            if (pos < bufStart || pos + EntryHeader.SIZE > bufStart + bufLen) {
                buf.clear().limit(Math.min(buf.capacity(), size - pos));
                fill(s, buf, pos);
                bufStart = pos;
                bufLen = buf.position();
            }
            int rel = (int) (pos - bufStart);
            EntryHeader.Shape shape = EntryHeader.shape(buf, rel, Integer.MAX_VALUE);
            if (shape == EntryHeader.Shape.ZEROS) {
                if (!allZero(s, pos, size)) {
                    r.badAt = pos;
                    r.why = "zeros followed by non-zero bytes";
                }
                break;
            }
            if (shape == EntryHeader.Shape.GARBAGE) {
                r.badAt = pos;
                r.why = "an unreadable entry header";
                break;
            }
            EntryHeader h = EntryHeader.read(buf, rel);
            if (pos > 0 && h.salt() != s.salt) {
                // A recycled file: what follows this segment's own entries is left from the file's earlier use.
                r.badAt = pos;
                r.why = "an entry of an earlier use of this recycled file (salt " + h.salt() + ", not " + s.salt + ")";
                break;
            }
            if (h.index() != expected) {
                r.badAt = pos;
                r.why = "entry " + h.index() + " where " + expected + " was expected";
                break;
            }
            if ((long) pos + h.totalSize() > size) {
                r.badAt = pos;
                r.why = "entry " + h.index() + " is cut off by the end of the file";
                break;
            }
            ByteBuffer whole;
            int wrel;
            if (pos + h.totalSize() <= bufStart + bufLen) {
                whole = buf;
                wrel = rel;
            } else if (h.totalSize() <= buf.capacity()) {
                buf.clear().limit(Math.min(buf.capacity(), size - pos));
                fill(s, buf, pos);
                bufStart = pos;
                bufLen = buf.position();
                whole = buf;
                wrel = 0;
            } else {
                whole = ByteBuffer.allocate(h.totalSize());
                fill(s, whole, pos);
                wrel = 0;
            }
            ByteBuffer payload = whole.duplicate().limit(wrel + h.totalSize()).position(wrel + EntryHeader.SIZE).slice();
            if (!EntryHeader.crcMatches(whole, wrel, payload)) {
                r.badAt = pos;
                r.why = "entry " + h.index() + " fails its checksum";
                break;
            }
            long base = -1;
            long last = -1;
            long ts = -1;
            if (h.type() == EntryType.DATA) {
                String problem = BatchHeader.validate(payload);
                if (problem != null || BatchHeader.baseOffset(payload, 0) < s.nextOffset && !s.isEmpty()) {
                    r.badAt = pos;
                    r.why = "entry " + h.index() + " is not a valid record batch: " + problem;
                    break;
                }
                base = BatchHeader.baseOffset(payload, 0);
                last = BatchHeader.lastOffset(payload, 0);
                ts = BatchHeader.maxTimestamp(payload, 0);
                if (r.firstDataOffset < 0) {
                    r.firstDataOffset = base;
                }
            }
            long offsetBefore = s.nextOffset;
            if (h.term() > lastTermSeen) {
                seen.add(new TermSeen(h.term(), h.index(), offsetBefore));
                lastTermSeen = h.term();
            }
            if (pos == 0) {
                s.salt = h.salt();
            }
            s.track(h.index(), h.term(), h.type(), base, last, ts, h.totalSize(), offsetBefore, indexIntervalBytes);
            pos += h.totalSize();
            expected++;
        }
        r.validEnd = pos;
        // track() advanced the appender size; the caller restores the real end.
        return r;
    }

    private static void fill(Segment s, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (s.readChannel.read(b, pos + b.position()) < 0) {
                break;
            }
        }
    }

    private static boolean allZero(Segment s, long from, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long pos = from;
        while (pos < size) {
            b.clear().limit((int) Math.min(b.capacity(), size - pos));
            fill(s, b, pos);
            for (int i = 0; i < b.position(); i++) {
                if (b.get(i) != 0) {
                    return false;
                }
            }
            pos += b.position();
            if (b.position() == 0) {
                break;
            }
        }
        return true;
    }
}
