package io.ailurus.bench.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FilesystemCheckTest {
    @TempDir
    Path dir;

    @Test
    void acceptsTheTestDirectorysDiskAndNamesItsType() throws IOException {
        assumeTrue(!"tmpfs".equals(FilesystemCheck.type(dir)), "the test's temp dir is itself on tmpfs");
        assertEquals(Files.getFileStore(dir).type(), FilesystemCheck.requireDisk(dir));
        // A directory that does not exist yet is judged by its nearest existing ancestor.
        assertEquals(Files.getFileStore(dir).type(), FilesystemCheck.requireDisk(dir.resolve("a/b/c")));
    }

    @Test
    void refusesTmpfsWithAClearMessage() throws IOException {
        Optional<Path> tmpfs = tmpfsMount();
        assumeTrue(tmpfs.isPresent(), "no tmpfs mount on this machine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FilesystemCheck.requireDisk(tmpfs.get().resolve("bench")));
        assertTrue(e.getMessage().contains("tmpfs, a memory-backed filesystem: O_DIRECT cannot work there"),
                e.getMessage());
    }

    /** A writable-or-not tmpfs mount point from /proc/mounts (/dev/shm on most Linux machines). */
    private static Optional<Path> tmpfsMount() throws IOException {
        Path mounts = Path.of("/proc/mounts");
        if (!Files.exists(mounts)) {
            return Optional.empty();
        }
        return Files.readAllLines(mounts).stream().map(l -> l.split(" "))
                .filter(f -> f.length > 2 && f[2].equals("tmpfs"))
                .map(f -> Path.of(f[1])).filter(Files::isDirectory).findFirst();
    }
}
