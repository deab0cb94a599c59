package io.ailurus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Segment files that retention (or DeleteRecords) took out of service, kept in {@code <data dir>/.segment-pool/} to
 * become the next new segment of any log of the directory, as a database recycles its WAL files.
 * <p>Why: a fresh segment must be zero-filled ahead of the appends so that fdatasync finds no size or extent change
 * to commit; that writes every byte twice (zeros, then data) and halves the disk bandwidth left for appends. A
 * retired segment file is already allocated and written to its end, so writing into it again is a plain overwrite
 * with cheap fdatasyncs, each byte written once. In a log whose retention deletes as fast as it appends (the
 * steady state of a broker) new segments then come from the pool and no zeros are written at all.
 * <p>Safety: the old content must never be read as data of the new segment. A file enters the pool only after its
 * first page is zeroed and fdatasynced (so recovery sees an empty segment until the new data lands), and every new
 * segment writes its entries with a fresh random salt in the entry header (see
 * {@link io.ailurus.storage.format.EntryHeader}), so recovery stops at the first entry whose salt differs from the
 * file's first entry: an intact entry of the file's earlier use is never taken for data, even with the right index.
 * <p>Budget: at most {@code maxBytes} are kept (the disk space the pool holds beyond retention); a retired file that
 * does not fit, or any file when the filesystem has less than {@code maxBytes} free, is deleted as before.
 * Thread-safe.
 */
final class SegmentPool {
    private static final Logger log = LoggerFactory.getLogger(SegmentPool.class);
    /** The pool's directory under the data directory; {@link LogManager} refuses it as a log name. */
    static final String DIR_NAME = ".segment-pool";
    private static final String SUFFIX = ".free";

    private record Pooled(Path file, long size) {
    }

    private final Path dir;
    private final long maxBytes;
    private final IoMode io;
    private final ArrayDeque<Pooled> files = new ArrayDeque<>();
    private long bytes;
    private long nextId;
    private final AtomicLong reused = new AtomicLong();
    private final AtomicLong retired = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    private SegmentPool(Path dir, long maxBytes, IoMode io) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.io = io;
    }

    /**
     * Opens the pool of {@code dataDir}, taking back the files a previous run left there ({@code *.free}: zeroed and
     * synced before they were named so); anything else in the pool directory is an interrupted hand-over and is deleted.
     */
    static SegmentPool open(Path dataDir, long maxBytes, IoMode io) throws IOException {
        Path dir = dataDir.resolve(DIR_NAME);
        SegmentPool pool = new SegmentPool(dir, maxBytes, io);
        if (maxBytes <= 0) {
            if (Files.isDirectory(dir)) {
                pool.deleteAll();
            }
            return pool;
        }
        Files.createDirectories(dir);
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.sorted().toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(SUFFIX) && Files.isRegularFile(p)) {
                    long size = Files.size(p);
                    pool.files.add(new Pooled(p, size));
                    pool.bytes += size;
                    pool.nextId = Math.max(pool.nextId, idOf(n) + 1);
                } else {
                    Files.deleteIfExists(p);
                }
            }
        }
        return pool;
    }

    private static long idOf(String name) {
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Moves a pooled file to {@code target} (which must not exist) and returns its size; -1 when the pool has none.
     * The caller fsyncs the target's directory before writing into it (as for a created file).
     */
    long take(Path target) throws IOException {
        Pooled p;
        synchronized (this) {
            p = files.pollLast();
            if (p == null) {
                misses.incrementAndGet();
                return -1;
            }
            bytes -= p.size;
        }
        try {
            Files.move(p.file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("could not reuse pooled segment file {}: {}; creating a new file instead", p.file, e.toString());
            Files.deleteIfExists(p.file);
            return -1;
        }
        reused.incrementAndGet();
        return p.size;
    }

    /**
     * Takes a segment file that no reader uses any more (its channels closed): zeroes its first page, fdatasyncs it and
     * moves it into the pool, or deletes it when the pool is full, disabled or the disk is short of space. Never
     * throws: a file that cannot be pooled is deleted, and one that cannot be deleted is reported.
     */
    void retire(Path file) {
        try {
            long size = Files.size(file);
            if (!admits(size)) {
                Files.deleteIfExists(file);
                return;
            }
            zeroFirstPage(file);
            Path to;
            synchronized (this) {
                if (bytes + size > maxBytes) {
                    to = null;
                } else {
                    to = dir.resolve(String.format("%020d%s", nextId++, SUFFIX));
                    // Counted now so that concurrent retirements respect the budget; corrected below on failure.
                    bytes += size;
                }
            }
            if (to == null) {
                Files.deleteIfExists(file);
                return;
            }
            try {
                Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                synchronized (this) {
                    bytes -= size;
                }
                throw e;
            }
            synchronized (this) {
                files.addLast(new Pooled(to, size));
            }
            retired.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            log.warn("could not keep {} for reuse ({}); deleting it", file, e.toString());
            try {
                Files.deleteIfExists(file);
            } catch (IOException x) {
                log.warn("could not delete {}: {}", file, x.toString());
            }
        }
    }

    private boolean admits(long size) throws IOException {
        if (maxBytes <= 0 || size < IoMode.PAGE) {
            return false;
        }
        synchronized (this) {
            if (bytes + size > maxBytes) {
                return false;
            }
        }
        // A disk short of space needs the space back more than the next segment needs a warm file.
        return Files.getFileStore(dir).getUsableSpace() >= maxBytes;
    }

    /** Overwrites page 0 with zeros and makes it durable: until new data lands, recovery sees an empty segment. */
    private void zeroFirstPage(Path file) throws IOException {
        ByteBuffer zeros = IoMode.alignedBuffer(IoMode.PAGE);
        try (FileChannel ch = io.openForWrite(file)) {
            IoMode.writeFully(ch, zeros, 0);
            ch.force(false);
        } catch (IOException e) {
            // A filesystem that accepts the O_DIRECT open but refuses the write: the same page, buffered.
            try (FileChannel ch = FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                IoMode.writeFully(ch, zeros.clear(), 0);
                ch.force(false);
            }
        }
    }

    /** Removes every pooled file (the pool was disabled). */
    private void deleteAll() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Files waiting to be reused. */
    synchronized int files() {
        return files.size();
    }

    /** Bytes the waiting files hold. */
    synchronized long bytes() {
        return bytes;
    }

    /** How many new segments were made from a pooled file since the directory was opened. */
    long reusedCount() {
        return reused.get();
    }

    /** How many new segments found the pool empty (and were created fresh) since the directory was opened. */
    long missCount() {
        return misses.get();
    }

    /** How many retired segment files were put in the pool since the directory was opened. */
    long retiredCount() {
        return retired.get();
    }
}
