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
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One segment file ({@code <base raft index, 20 digits>.log}) with its in-memory indexes and state.
 * <p>Three parties touch a segment, each with its own fields: the log's single appender (the append position and
 * the "appended" end state), the directory's flusher (the write channel, preallocation, the partial last page and
 * {@link #writtenSize}), and any number of readers, which only read volatile fields and the read channel. Readers
 * read from the file only below {@link #writtenSize}; what lies above it is in the log's tail cache.
 */
final class Segment {
    private static final Logger log = LoggerFactory.getLogger(Segment.class);
    /** The first preallocation step of a fresh segment; later steps double up to preallocateBytes. Keeps idle logs small. */
    static final int FIRST_PREALLOCATION = 1 << 20;
    /**
     * A write zero-fills at most this much ahead, or twice its own data if more: a step (up to preallocateBytes,
     * 32 MiB) is zero-filled over several rounds, begun while half a step is still ahead of the data, instead of in
     * the one round that reaches its end. Zero-filled in one go, a 32 MiB step held that round, and every append of
     * the lane's logs behind it, for tens of milliseconds; logs appended at the same rate cross their steps together,
     * so a lane's logs stalled together (storage bench, 16 partitions at a fixed 10 % of the disk's bandwidth: p50
     * 0.6 ms, p99 ~450 ms on fresh segments, p99 20 ms with --preallocate-kib 4).
     */
    static final int MIN_ZERO_FILL_SLICE = 256 << 10;

    final long baseIndex;
    final Path logFile;
    final Path indexFile;
    final Path timeIndexFile;
    /**
     * Written into every entry header of this segment (never 0 for a new segment): a recycled file still holds intact
     * entries of its earlier use beyond what this segment wrote, and recovery tells them apart by their other salt.
     */
    volatile int salt = newSalt();
    /** The log end offset when the segment began: every data offset in it is >= this. */
    volatile long startOffset;
    final FileChannel readChannel;
    final SparseIndex index;
    final TimeIndex timeIndex;

    // Appender state (published through volatiles for readers).
    volatile int appendedSize;
    volatile long lastIndex;
    volatile long lastTerm;
    volatile long nextOffset;
    volatile long maxTimestamp = -1;
    volatile long maxTimestampOffset = -1;
    int bytesSinceIndex;
    long createdMs;

    // Flusher state.
    volatile int writtenSize;
    private FileChannel writeChannel;
    private long allocatedEnd;
    private int preallocationStep = FIRST_PREALLOCATION;
    /** Where the step being zero-filled ends; no step in progress when it is <= allocatedEnd. */
    private long preallocationGoal;
    private boolean preallocationWarned;
    private final byte[] tailPage = new byte[IoMode.PAGE];
    private int tailLength;

    /** True once the segment is closed for appends, trimmed, fsynced and its index files written. */
    volatile boolean sealed;
    /** True when every entry was CRC-checked in this process's lifetime (or written by it); reads then skip checks. */
    volatile boolean verified;
    /** A position from which the content is known damaged (never served), or -1. */
    volatile int corruptFrom = -1;
    volatile boolean deleted;
    /** Position of the last damaged entry reported at ERROR (reads report each one once). */
    volatile int lastReportedCorruption = -1;

    Segment(long baseIndex, Path dir, long startOffset, SparseIndex index, TimeIndex timeIndex) throws IOException {
        this.baseIndex = baseIndex;
        this.logFile = dir.resolve(fileName(baseIndex, ".log"));
        this.indexFile = dir.resolve(fileName(baseIndex, ".index"));
        this.timeIndexFile = dir.resolve(fileName(baseIndex, ".timeindex"));
        this.startOffset = startOffset;
        this.index = index;
        this.timeIndex = timeIndex;
        this.readChannel = FileChannel.open(logFile, StandardOpenOption.READ);
        this.lastIndex = baseIndex - 1;
        this.nextOffset = startOffset;
    }

    static int newSalt() {
        int s;
        do {
            s = ThreadLocalRandom.current().nextInt();
        } while (s == 0);
        return s;
    }

    static String fileName(long baseIndex, String suffix) {
        return String.format("%020d%s", baseIndex, suffix);
    }

    /** Creates an empty segment file (the caller fsyncs the directory). */
    static Segment create(Path dir, long baseIndex, long startOffset, long nowMs) throws IOException {
        return create(dir, baseIndex, startOffset, nowMs, null);
    }

    /**
     * Creates an empty segment, reusing a file of {@code pool} when it has one (then the file is already allocated and
     * written up to its size, and nothing is zero-filled below that); the caller fsyncs the directory.
     */
    static Segment create(Path dir, long baseIndex, long startOffset, long nowMs, SegmentPool pool) throws IOException {
        Path file = dir.resolve(fileName(baseIndex, ".log"));
        Files.deleteIfExists(file);
        long recycledSize = pool == null ? -1 : pool.take(file);
        if (recycledSize < 0) {
            Files.createFile(file);
        }
        // Created with the segment, so a missing index file later means "lost", not "no aborted transactions".
        AbortedTxnIndex.createEmpty(dir, baseIndex);
        Segment s = new Segment(baseIndex, dir, startOffset, new SparseIndex(), new TimeIndex());
        s.createdMs = nowMs;
        s.verified = true;
        if (recycledSize > 0) {
            // Page 0 is zeros (the pool zeroed it); every later page holds old bytes that count as preallocated.
            s.allocatedEnd = IoMode.roundDown(recycledSize);
        }
        return s;
    }

    /** The size readers and retention see: everything appended, written or not. */
    long size() {
        return appendedSize;
    }

    boolean isEmpty() {
        return lastIndex < baseIndex;
    }

    /** Sets the flusher and appender positions after recovery, to a valid end of {@code size} bytes. */
    void restoreEnd(int size) throws IOException {
        restoreEnd(size, size);
    }

    /** Same, when the file is {@code fileSize} bytes long because zeros were preallocated after the valid end. */
    void restoreEnd(int size, long fileSize) throws IOException {
        appendedSize = size;
        writtenSize = size;
        allocatedEnd = Math.max(size, IoMode.roundDown(fileSize));
        loadTailPage(size);
    }

    /**
     * Accounts for one entry placed at the segment's append position: index and time-index rows, end offset, max
     * timestamp. Shared by the appender and by recovery's scan so both build the same indexes.
     */
    void track(long index, long term, EntryType type, long baseOffset, long lastOffset, long entryMaxTimestamp,
               int totalSize, long offsetBefore, int indexIntervalBytes) {
        int position = appendedSize;
        if (lastIndex < baseIndex || bytesSinceIndex >= indexIntervalBytes) {
            this.index.add(index, offsetBefore, position);
            bytesSinceIndex = 0;
            if (maxTimestamp >= 0) {
                timeIndex.maybeAdd(maxTimestamp, maxTimestampOffset);
            }
        }
        bytesSinceIndex += totalSize;
        if (type == EntryType.DATA) {
            nextOffset = lastOffset + 1;
            if (entryMaxTimestamp > maxTimestamp) {
                maxTimestampOffset = baseOffset;
                maxTimestamp = entryMaxTimestamp;
            }
        }
        lastTerm = term;
        appendedSize = position + totalSize;
        lastIndex = index;
    }

    /**
     * Takes the salt of the entry at position 0, if there is one: appends to a recovered segment must carry the salt
     * its first entry has (recovery stops at the first entry with another one).
     */
    void adoptSaltOfFirstEntry() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(EntryHeader.SIZE);
        while (b.hasRemaining()) {
            if (readChannel.read(b, b.position()) < 0) {
                return;
            }
        }
        if (EntryHeader.shape(b, 0, Integer.MAX_VALUE) == EntryHeader.Shape.PLAUSIBLE) {
            salt = EntryHeader.read(b, 0).salt();
        }
    }

    private void loadTailPage(int size) throws IOException {
        tailLength = size & (IoMode.PAGE - 1);
        if (tailLength > 0) {
            ByteBuffer b = ByteBuffer.wrap(tailPage, 0, tailLength);
            long pos = IoMode.roundDown(size);
            while (b.hasRemaining()) {
                if (readChannel.read(b, pos + b.position()) < 0) {
                    throw new IOException("segment " + logFile + " is shorter than " + size + " bytes");
                }
            }
        }
    }

    // ---------------------------------------------------------------- flusher side

    /**
     * Writes {@code run[from, to)} (contiguous entries starting at {@link #writtenSize}) as whole aligned pages,
     * rewriting the partial last page in place, and returns the number of payload bytes written. Flusher thread only.
     */
    long write(List<PendingWrite> run, int from, int to, ByteBuffer staging, ByteBuffer zeros, IoMode io,
               int preallocateBytes, int segmentBytes) throws IOException {
        int start = writtenSize;
        if (run.get(from).position() != start) {
            throw new IllegalStateException("pending write at " + run.get(from).position() + " but segment "
                    + logFile + " is written up to " + start);
        }
        long end = start;
        for (int i = from; i < to; i++) {
            end += run.get(i).size();
        }
        if (writeChannel == null) {
            writeChannel = io.openForWrite(logFile);
        }
        preallocate(IoMode.roundUp(end), end - start, zeros, preallocateBytes, segmentBytes);
        long filePos = IoMode.roundDown(start);
        staging.clear();
        staging.put(tailPage, 0, tailLength);
        for (int i = from; i < to; i++) {
            PendingWrite w = run.get(i);
            filePos = stage(w.header(), staging, filePos, io);
            filePos = stage(w.payload(), staging, filePos, io);
        }
        int dataLength = staging.position();
        int lastPageStart = (int) IoMode.roundDown(dataLength);
        tailLength = dataLength - lastPageStart;
        staging.get(lastPageStart, tailPage, 0, tailLength);
        int padded = (int) IoMode.roundUp(dataLength);
        for (int i = dataLength; i < padded; i++) {
            staging.put(i, (byte) 0);
        }
        staging.position(0).limit(padded);
        writePages(staging, filePos, io);
        allocatedEnd = Math.max(allocatedEnd, filePos + padded);
        writtenSize = (int) end;
        return end - start;
    }

    /**
     * Copies {@code bytes} (not moved) into the staging buffer, writing it out as whole pages at {@code filePos}
     * each time it fills; returns the file position of the staging buffer's start after that.
     */
    private long stage(ByteBuffer bytes, ByteBuffer staging, long filePos, IoMode io) throws IOException {
        int at = bytes.position();
        int left = bytes.remaining();
        while (left > 0) {
            if (!staging.hasRemaining()) {
                staging.flip();
                writePages(staging, filePos, io);
                filePos += staging.limit();
                staging.clear();
            }
            int n = Math.min(staging.remaining(), left);
            staging.put(staging.position(), bytes, at, n);
            staging.position(staging.position() + n);
            at += n;
            left -= n;
        }
        return filePos;
    }

    private void writePages(ByteBuffer pages, long position, IoMode io) throws IOException {
        if (!pages.hasRemaining()) {
            return;
        }
        try {
            IoMode.writeFully(writeChannel, pages, position);
        } catch (IOException e) {
            // Some filesystems accept the O_DIRECT open but refuse the write (EINVAL): go buffered and retry once.
            if (io.direct() && "Invalid argument".equals(e.getMessage())) {
                io.fallBack(logFile, e);
                writeChannel.close();
                writeChannel = io.openForWrite(logFile);
                pages.rewind();
                IoMode.writeFully(writeChannel, pages, position);
            } else {
                throw e;
            }
        }
    }

    /**
     * Zero-fills the file ahead of the writes so that fdatasync has no size or extent metadata to persist for the
     * following rounds. A failure here (a full disk) is not an error by itself: the data write that follows decides.
     */
    private void preallocate(long neededEnd, long dataBytes, ByteBuffer zeros, int preallocateBytes, int segmentBytes)
            throws IOException {
        long limit = IoMode.roundUp(segmentBytes);
        int step = Math.min(preallocationStep, preallocateBytes);
        // The next step begins while half of one is still zero-filled ahead, so its slices are done by the time the
        // data gets there.
        if (preallocationGoal <= allocatedEnd && allocatedEnd < limit && allocatedEnd < neededEnd + step / 2) {
            preallocationGoal = Math.max(neededEnd, Math.min(limit, IoMode.roundUp(allocatedEnd) + step));
            preallocationStep = Math.min(preallocateBytes, preallocationStep * 2);
        }
        if (allocatedEnd >= neededEnd && allocatedEnd >= preallocationGoal) {
            return;
        }
        // Whole pages: the zeros go out with direct I/O too.
        long slice = IoMode.roundUp(Math.max(MIN_ZERO_FILL_SLICE, 2 * dataBytes));
        long target = Math.max(neededEnd,
                Math.min(preallocationGoal, Math.max(IoMode.roundUp(allocatedEnd), neededEnd) + slice));
        // Never zero-fill below what is written: after a failed preallocation the data may already lie beyond
        // allocatedEnd, and zeroing it would destroy acknowledged entries. Nor below neededEnd: the data write that
        // follows covers [writtenSize, neededEnd) with whole pages anyway, and zeroing it first would only write
        // those bytes twice (the storage bench measured every byte going to the disk twice with small steps).
        long pos = Math.max(Math.max(IoMode.roundUp(allocatedEnd), IoMode.roundUp(writtenSize)), neededEnd);
        try {
            while (pos < target) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), target - pos));
                IoMode.writeFully(writeChannel, zeros, pos);
                pos += zeros.limit();
            }
            allocatedEnd = Math.max(allocatedEnd, target);
        } catch (IOException e) {
            allocatedEnd = Math.max(allocatedEnd, pos);
            if (!preallocationWarned) {
                preallocationWarned = true;
                log.warn("could not preallocate {} up to {} bytes: {}; writing without preallocation",
                        logFile, target, e.toString());
            }
        }
    }

    /** fdatasync: data written so far is durable. */
    void sync() throws IOException {
        if (writeChannel != null) {
            writeChannel.force(false);
        }
    }

    /** Trims the preallocated tail, fsyncs, writes the index files: the segment is closed for good. */
    void seal() throws IOException {
        if (writeChannel == null) {
            writeChannel = FileChannel.open(logFile, StandardOpenOption.WRITE);
        }
        writeChannel.truncate(writtenSize);
        writeChannel.force(true);
        writeChannel.close();
        writeChannel = null;
        allocatedEnd = writtenSize;
        if (maxTimestamp >= 0) {
            timeIndex.maybeAdd(maxTimestamp, maxTimestampOffset);
        }
        IndexFiles.write(indexFile, timeIndexFile, index, timeIndex, sealInfo());
        sealed = true;
    }

    SealInfo sealInfo() {
        return new SealInfo(writtenSize, baseIndex, lastIndex, lastTerm, startOffset, nextOffset, maxTimestamp,
                maxTimestampOffset);
    }

    /** Cuts the file at {@code size} (maintenance, under the log's I/O lock) and makes the cut durable. */
    void truncateTo(int size) throws IOException {
        if (writeChannel == null) {
            writeChannel = FileChannel.open(logFile, StandardOpenOption.WRITE);
        }
        writeChannel.truncate(size);
        writeChannel.force(true);
        writeChannel.close();
        writeChannel = null;
        if (sealed) {
            // Its index files describe the old end: remove them so a crash cannot make them trusted again.
            Files.deleteIfExists(indexFile);
            Files.deleteIfExists(timeIndexFile);
            sealed = false;
        }
        preallocationStep = FIRST_PREALLOCATION;
        preallocationGoal = 0;
        restoreEnd(size);
    }

    /** Removes the index files (the segment becomes the active one again, e.g. after a clean reopen). */
    void unseal() throws IOException {
        Files.deleteIfExists(indexFile);
        Files.deleteIfExists(timeIndexFile);
        sealed = false;
    }

    void closeChannels() {
        try {
            if (writeChannel != null) {
                writeChannel.close();
                writeChannel = null;
            }
            readChannel.close();
        } catch (IOException e) {
            log.warn("closing {} failed: {}", logFile, e.toString());
        }
    }

    @Override
    public String toString() {
        return logFile.getFileName() + "[" + baseIndex + ".." + lastIndex + ", " + appendedSize + " B]";
    }
}
