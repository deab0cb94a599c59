package io.ailurus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Small durable files of a log: atomic replace (write temp, fsync, rename, fsync directory), the
 * {@code log-start-offset} checkpoint and the {@code clean-shutdown} marker.
 */
final class Checkpoints {
    static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    static final String LOG_START = "log-start-offset";
    static final String CLEAN_SHUTDOWN = "clean-shutdown";

    /** The logical start of a log: first Raft index kept and Kafka log start offset. */
    record LogStart(long firstIndex, long logStartOffset) {
    }

    private Checkpoints() {
    }

    static void writeAtomically(Path dir, String name, String content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
    }

    /** Makes creations, renames and deletions of files in {@code dir} durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void writeLogStart(Path dir, LogStart start) throws IOException {
        writeAtomically(dir, LOG_START, "1\n" + start.firstIndex() + " " + start.logStartOffset() + "\n");
    }

    /** The checkpoint, or null when missing or unreadable. */
    static LogStart readLogStart(Path dir) {
        try {
            String[] lines = Files.readString(dir.resolve(LOG_START), StandardCharsets.US_ASCII).split("\n");
            String[] f = lines[1].trim().split(" ");
            return new LogStart(Long.parseLong(f[0]), Long.parseLong(f[1]));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring unreadable {} in {}: {}", LOG_START, dir, e.toString());
            return null;
        }
    }

    /** Writes the clean-shutdown marker naming the last index, after everything else of a close is durable. */
    static void writeCleanShutdown(Path dir, long lastIndex) throws IOException {
        writeAtomically(dir, CLEAN_SHUTDOWN, "1\n" + lastIndex + "\n");
    }

    /** The last index recorded by a clean shutdown, or null when the last shutdown was not clean. */
    static Long readCleanShutdown(Path dir) {
        try {
            String[] lines = Files.readString(dir.resolve(CLEAN_SHUTDOWN), StandardCharsets.US_ASCII).split("\n");
            return Long.parseLong(lines[1].trim());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring unreadable {} in {}: {}", CLEAN_SHUTDOWN, dir, e.toString());
            return null;
        }
    }

    static void removeCleanShutdown(Path dir) throws IOException {
        if (Files.deleteIfExists(dir.resolve(CLEAN_SHUTDOWN))) {
            syncDirectory(dir);
        }
    }
}
