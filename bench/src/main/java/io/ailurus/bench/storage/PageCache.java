package io.ailurus.bench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Drops the kernel's clean page cache so the next read comes from the disk (root only, and not in every container). */
final class PageCache {
    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

    private PageCache() {
    }

    /** Returns true when the cache was dropped, false when this process may not (then reads may be served warm). */
    static boolean drop() {
        try {
            // "1" = page cache only; dentries and inodes stay (the bench measures data reads, not lookups).
            Files.writeString(DROP_CACHES, "1\n");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
