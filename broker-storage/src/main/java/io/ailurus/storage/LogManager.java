package io.ailurus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The logs of one data directory, its group-commit flusher thread and its retention scheduler. Open one per data
 * directory with {@link #open}; a lock file keeps a second process out.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogManager.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._=-]+(/[A-Za-z0-9._=-]+)*");
    private static final String LOCK_FILE = ".lock";

    private final Path dataDir;
    private final StorageConfig config;
    private final GroupCommitFlusher flusher;
    private final SegmentPool segmentPool;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Map<String, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<String, Object> nameLocks = new ConcurrentHashMap<>();
    private final List<PartitionLog> logList = new ArrayList<>();
    private final AtomicLong cacheBytes = new AtomicLong();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile boolean closed;

    private LogManager(Path dataDir, StorageConfig config, IoMode io, FileChannel lockChannel, FileLock lock,
                       SegmentPool segmentPool) {
        this.dataDir = dataDir;
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.segmentPool = segmentPool;
        this.flusher = new GroupCommitFlusher(dataDir.getFileName() == null ? "root" : dataDir.getFileName().toString(),
                config, io, cacheBytes, logList);
        // Two threads: the deferred file deletions (which hand files to the segment pool, an fdatasync each) must not
        // queue behind a retention pass that fsyncs checkpoints of every log, or the pool runs dry under load.
        this.scheduler = new ScheduledThreadPoolExecutor(2, r -> Thread.ofPlatform()
                .name("ailurus-retention-" + dataDir.getFileName()).daemon(true).unstarted(r));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.scheduleWithFixedDelay(this::retentionPass, config.retentionCheckIntervalMs(),
                config.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /**
     * Opens (creating if needed) a data directory: checks that it is a writable directory, finds whether it takes
     * O_DIRECT, locks it, and starts the flusher and the retention scheduler.
     *
     * @throws StorageException saying what is wrong when the directory cannot be used
     */
    public static LogManager open(Path dataDir, StorageConfig cfg) throws StorageException {
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + dir + ": " + e
                    + "; check that the path is right and that the broker may write there", e);
        }
        if (!Files.isDirectory(dir)) {
            throw new StorageException("data directory " + dir + " is not a directory");
        }
        IoMode io = probe(dir, cfg.directIo());
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                throw new StorageException("data directory " + dir + " is in use by another process (" + LOCK_FILE + " is locked)");
            }
            SegmentPool pool;
            try {
                pool = SegmentPool.open(dir, cfg.segmentPoolBytes(), io);
            } catch (IOException e) {
                l.release();
                throw new StorageException("cannot open the segment file pool of " + dir + ": " + e, e);
            }
            return new LogManager(dir, cfg, io, ch, l, pool);
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new StorageException("cannot lock data directory " + dir + ": " + e
                    + " (is another broker using it?)", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Writes and fsyncs a probe page (directly if wanted): proves the directory writable and decides the I/O mode. */
    private static IoMode probe(Path dir, boolean wantDirect) {
        Path probe = dir.resolve(".probe-" + ProcessHandle.current().pid());
        IoMode io = new IoMode(wantDirect);
        ByteBuffer page = IoMode.alignedBuffer(IoMode.PAGE);
        try {
            try {
                if (wantDirect) {
                    try (FileChannel ch = IoMode.createDirect(probe)) {
                        IoMode.writeFully(ch, page, 0);
                        ch.force(false);
                        return io;
                    } catch (IOException | UnsupportedOperationException e) {
                        if (!isDirectRefusal(e)) {
                            throw e;
                        }
                        io.fallBack(dir, e);
                    }
                }
                try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    page.clear();
                    IoMode.writeFully(ch, page, 0);
                    ch.force(false);
                }
                return io;
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | RuntimeException e) {
            throw new StorageException("data directory " + dir + " is not writable: " + e
                    + "; fix its permissions or mount it read-write (and check free space)", e);
        }
    }

    private static boolean isDirectRefusal(Exception e) {
        return e instanceof UnsupportedOperationException
                || (e.getMessage() != null && e.getMessage().contains("Invalid argument"));
    }

    /**
     * Opens the log {@code name} (like {@code "kafka/topic-a/0"} or {@code "raft/controller"}, each part of
     * {@code [A-Za-z0-9._=-]}), creating it or recovering it from disk. Opening an open log returns it (its config
     * updated to {@code cfg}).
     */
    public PartitionLog openLog(String name, LogConfig cfg) {
        ensureOpen();
        validateName(name);
        // One lock per name: different logs recover in parallel when the caller opens them from several threads.
        synchronized (nameLock(name)) {
            PartitionLog existing = logs.get(name);
            if (existing != null) {
                existing.updateConfig(cfg);
                return existing;
            }
            Path dir = dataDir.resolve(name);
            LogLoader.Loaded loaded;
            try {
                if (!Files.isDirectory(dir)) {
                    // New directories must survive a power failure along with the data written into them.
                    Files.createDirectories(dir);
                    for (Path p = dir.getParent(); p != null && p.startsWith(dataDir); p = p.getParent()) {
                        Checkpoints.syncDirectory(p);
                    }
                }
                loaded = LogLoader.load(dir, cfg, config.clock().getAsLong());
            } catch (IOException e) {
                throw new StorageException("cannot open log " + name + " in " + dir + ": " + e, e);
            }
            PartitionLog l = new PartitionLog(name, dir, cfg, this, loaded);
            logs.put(name, l);
            synchronized (logList) {
                logList.add(l);
            }
            log.debug("opened {}", l);
            return l;
        }
    }

    private Object nameLock(String name) {
        return nameLocks.computeIfAbsent(name, k -> new Object());
    }

    private static void validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid log name '" + name
                    + "': use parts of letters, digits, '.', '_', '-', '=' separated by '/'");
        }
        for (String part : name.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("invalid log name '" + name + "': '.' and '..' are not allowed");
            }
        }
        if (name.split("/")[0].equals(SegmentPool.DIR_NAME)) {
            throw new IllegalArgumentException("invalid log name '" + name + "': " + SegmentPool.DIR_NAME
                    + " is where retired segment files wait for reuse");
        }
    }

    /** Closes the log (without waiting for it to be reopened cleanly) and removes its directory. */
    public void deleteLog(String name) {
        validateName(name);
        synchronized (nameLock(name)) {
            PartitionLog l = logs.get(name);
            if (l != null) {
                l.close(false);
            }
            Path dir = dataDir.resolve(name);
            try {
                deleteRecursively(dir);
                Checkpoints.syncDirectory(dir.getParent());
            } catch (IOException e) {
                throw new StorageException("cannot delete log " + name + " in " + dir + ": " + e, e);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The open logs. */
    public Collection<PartitionLog> logs() {
        return List.copyOf(logs.values());
    }

    /** The open log called {@code name}, or null. */
    public PartitionLog log(String name) {
        return logs.get(name);
    }

    /** Names of the logs stored in this directory (open or not): every directory holding a log-start checkpoint. */
    public List<String> discoverLogNames() {
        try (Stream<Path> walk = Files.walk(dataDir)) {
            return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().equals(Checkpoints.LOG_START))
                    .map(p -> dataDir.relativize(p.getParent()).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new StorageException("cannot list logs in " + dataDir + ": " + e, e);
        }
    }

    /** Bytes of all open logs. */
    public long totalBytes() {
        long total = 0;
        for (PartitionLog l : logs.values()) {
            total += l.sizeBytes();
        }
        return total;
    }

    /** Bytes still free for this directory's filesystem. */
    public long usableSpace() {
        try {
            return Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            throw new StorageException("cannot read free space of " + dataDir + ": " + e, e);
        }
    }

    /** The flusher's counters (rounds, bytes, fsyncs, latency listener). */
    public FlushStats flushStats() {
        return flusher;
    }

    /** Runs retention on every open log now (the scheduler does this every retentionCheckIntervalMs). */
    public RetentionResult enforceRetention(long nowMs) {
        RetentionResult total = RetentionResult.NONE;
        for (PartitionLog l : logs.values()) {
            try {
                total = total.plus(l.enforceRetention(nowMs));
            } catch (StorageException e) {
                log.warn("retention of {} failed: {}", l.name(), e.getMessage());
            }
        }
        return total;
    }

    private void retentionPass() {
        try {
            enforceRetention(config.clock().getAsLong());
        } catch (RuntimeException e) {
            log.warn("retention pass failed", e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Whether segment files here are written with O_DIRECT (false after a fallback). */
    public boolean directIo() {
        return flusher.io().direct();
    }

    StorageConfig config() {
        return config;
    }

    GroupCommitFlusher flusher() {
        return flusher;
    }

    SegmentPool segmentPool() {
        return segmentPool;
    }

    /** Retired segment files waiting to be reused as new segments (see {@link StorageConfig#segmentPoolBytes()}). */
    public int pooledSegmentFiles() {
        return segmentPool.files();
    }

    /** Rolls that found no retired file to reuse (so created a fresh, zero-filled segment) since the directory was opened. */
    public long segmentPoolMisses() {
        return segmentPool.missCount();
    }

    /** New segments made from a retired file instead of a fresh, zero-filled one since this directory was opened. */
    public long segmentFilesReused() {
        return segmentPool.reusedCount();
    }

    AtomicLong cacheBytes() {
        return cacheBytes;
    }

    /** Runs {@code task} after fileDeleteDelayMs on the scheduler (at once when the delay is 0 or we are closing). */
    void later(Runnable task) {
        if (config.fileDeleteDelayMs() == 0 || closed) {
            task.run();
            return;
        }
        scheduler.schedule(task, config.fileDeleteDelayMs(), TimeUnit.MILLISECONDS);
    }

    void onClosed(PartitionLog l) {
        logs.remove(l.name(), l);
        synchronized (logList) {
            logList.remove(l);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("log manager of " + dataDir + " is closed");
        }
    }

    /** Closes every log cleanly, stops the flusher and scheduler, runs pending file deletions, unlocks. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        for (PartitionLog l : logs()) {
            try {
                l.close();
            } catch (RuntimeException e) {
                log.warn("closing log {} failed", l.name(), e);
            }
        }
        closed = true;
        for (Runnable r : scheduler.shutdownNow()) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("deferred deletion failed", e);
            }
        }
        flusher.close();
        try {
            lock.release();
        } catch (IOException e) {
            log.warn("releasing {} failed: {}", LOCK_FILE, e.toString());
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
