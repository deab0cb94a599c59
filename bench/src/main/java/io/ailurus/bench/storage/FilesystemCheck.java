package io.ailurus.bench.storage;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses to benchmark on a memory-backed filesystem. On tmpfs O_DIRECT is refused (the storage falls back to
 * buffered writes) and fdatasync is a no-op, so the figures would say nothing about a disk.
 */
final class FilesystemCheck {
    private static final Set<String> MEMORY_BACKED = Set.of("tmpfs", "ramfs", "devtmpfs", "hugetlbfs");

    private FilesystemCheck() {
    }

    /** The type of the filesystem holding {@code dir} (or its nearest existing ancestor), e.g. "ext4". */
    static String type(Path dir) throws IOException {
        Path p = dir.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IOException("no existing ancestor of " + dir);
        }
        FileStore store = Files.getFileStore(p);
        return store.type();
    }

    /** Throws {@link IllegalArgumentException} with a clear message when {@code dir} lies on a memory-backed filesystem. */
    static String requireDisk(Path dir) throws IOException {
        String type = type(dir);
        if (MEMORY_BACKED.contains(type.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(dir + " is on " + type + ", a memory-backed filesystem: O_DIRECT cannot"
                    + " work there and fdatasync is free, so nothing about the disk would be measured. Pass --dir on a"
                    + " disk-backed filesystem (e.g. --dir /var/tmp or a directory on the data disk).");
        }
        return type;
    }
}
