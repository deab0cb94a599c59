package io.ailurus.raft.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where a group's Raft configuration entries are in its log: a small file of indexes, so that
 * jraft's start-up reload of membership reads a handful of entries instead of the whole log
 * (which, being the Kafka log, may be gigabytes).
 *
 * <p>It is a write-ahead hint: an index is recorded (and fsynced) before the entry is appended,
 * so no configuration entry can be missing from it; indexes whose entry was later truncated or
 * never appended are weeded out on load by reading the entry's type. Without the file (first
 * start, or lost), the log is scanned once and the file rebuilt.
 */
final class ConfigurationIndex {

    private final Path file;

    /** @param file the index file (in the group's raft meta directory) */
    ConfigurationIndex(Path file) {
        this.file = file;
    }

    /** Whether the file exists (otherwise the caller scans the log). */
    boolean exists() {
        return Files.exists(file);
    }

    /** The recorded indexes, ascending; a torn trailing record is ignored. */
    SortedSet<Long> load() throws IOException {
        SortedSet<Long> indexes = new TreeSet<>();
        if (!Files.exists(file)) {
            return indexes;
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        while (bytes.remaining() >= Long.BYTES) {
            indexes.add(bytes.getLong());
        }
        return indexes;
    }

    /** Records indexes about to be appended; durable on return. */
    void record(Collection<Long> indexes) {
        if (indexes.isEmpty()) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.allocate(indexes.size() * Long.BYTES);
        indexes.forEach(bytes::putLong);
        bytes.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record configuration entries in " + file, e);
        }
    }

    /** Replaces the file with exactly {@code indexes} (atomically: old or new, never torn). */
    void rewrite(Collection<Long> indexes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ByteBuffer bytes = ByteBuffer.allocate(indexes.size() * Long.BYTES);
        indexes.forEach(bytes::putLong);
        bytes.flip();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // Make the rename durable before anything is appended to the new file: otherwise a crash
        // could bring back the old file without the records appended since.
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
