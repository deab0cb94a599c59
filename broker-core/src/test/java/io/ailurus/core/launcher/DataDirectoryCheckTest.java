package io.ailurus.core.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.ailurus.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory must be creatable and writable before the broker starts. */
class DataDirectoryCheckTest {
    @TempDir
    Path tmp;

    @Test
    void createsMissingDirectoriesAndLeavesNoProbeBehind() throws IOException {
        Path dir = tmp.resolve("a/b/data");
        DataDirectoryCheck.require(dir);
        assertTrue(Files.isDirectory(dir));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void pathUnderARegularFileCanNeverBeCreated() throws IOException {
        // Works for every user, root included: no permission bit makes a file hold a directory.
        Path file = Files.writeString(tmp.resolve("plainfile"), "x");
        Path dir = file.resolve("data");
        ConfigException e = assertThrows(ConfigException.class, () -> DataDirectoryCheck.require(dir));
        assertTrue(e.getMessage().startsWith("data_directory (--data-dir): cannot create '" + dir + "' ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("expected a directory the broker can create and write"), e.getMessage());
    }

    @Test
    void existingFileIsNotADirectory() throws IOException {
        Path file = Files.writeString(tmp.resolve("data"), "x");
        ConfigException e = assertThrows(ConfigException.class, () -> DataDirectoryCheck.require(file));
        assertEquals("data_directory (--data-dir): '" + file + "' exists but is not a directory;"
                + " expected a directory the broker can create and write", e.getMessage());
    }

    @Test
    void readOnlyDirectoryIsNotWritable() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("readonly"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        try {
            assumeFalse(bypassesPermissions(dir), "this user (root?) ignores permission bits; covered by the under-a-file test");
            ConfigException e = assertThrows(ConfigException.class, () -> DataDirectoryCheck.require(dir));
            assertTrue(e.getMessage().startsWith("data_directory (--data-dir): '" + dir + "' is not writable (permission denied"),
                    e.getMessage());
            Path below = dir.resolve("sub");
            ConfigException e2 = assertThrows(ConfigException.class, () -> DataDirectoryCheck.require(below));
            assertTrue(e2.getMessage().startsWith("data_directory (--data-dir): cannot create '" + below + "' (permission denied"),
                    e2.getMessage());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static boolean bypassesPermissions(Path readOnlyDir) {
        try {
            Files.delete(Files.createFile(readOnlyDir.resolve("probe")));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
