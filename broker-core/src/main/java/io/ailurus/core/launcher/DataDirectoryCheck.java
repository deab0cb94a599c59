package io.ailurus.core.launcher;

import io.ailurus.core.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes sure the data directory exists (creating it if needed) and that the broker can write and
 * fsync a file in it, before anything else starts: a broker that cannot persist must not accept
 * writes. Always runs; {@code --check=false} does not skip it.
 */
public final class DataDirectoryCheck {
    private static final String WHAT = "data_directory (--data-dir)";
    private static final String EXPECTED = "expected a directory the broker can create and write";

    private DataDirectoryCheck() {}

    /**
     * @throws ConfigException naming the directory and the reason if it cannot be created or written
     */
    public static void require(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new ConfigException(WHAT + ": '" + dir + "' exists but is not a directory; " + EXPECTED);
        } catch (IOException e) {
            throw new ConfigException(WHAT + ": cannot create '" + dir + "' (" + reason(e) + "); " + EXPECTED, e);
        }
        Path probe = dir.resolve(".ailurus-write-check-" + ProcessHandle.current().pid());
        try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(new byte[] {'o', 'k'}));
            ch.force(true);
        } catch (IOException e) {
            throw new ConfigException(WHAT + ": '" + dir + "' is not writable (" + reason(e) + "); " + EXPECTED, e);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the probe is tiny and named per pid; leaving it behind harms nothing
            }
        }
    }

    /** A short human reason: "permission denied on /x", "not a directory: /x/y". */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException ade) {
            return "permission denied on " + ade.getFile();
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason().toLowerCase(java.util.Locale.ROOT) + ": " + fse.getFile();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
