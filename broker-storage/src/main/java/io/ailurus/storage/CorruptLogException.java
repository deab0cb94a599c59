package io.ailurus.storage;

import java.nio.file.Path;

/** Stored bytes failed their checksum or structure check; they are never served. Says which file and position. */
public final class CorruptLogException extends StorageException {
    private final Path file;
    private final long position;

    public CorruptLogException(Path file, long position, String what) {
        super("corrupt log data in " + file + " at position " + position + ": " + what
                + "; the range is not served (restore the replica from another replica or delete the damaged segment)");
        this.file = file;
        this.position = position;
    }

    public Path file() {
        return file;
    }

    public long position() {
        return position;
    }
}
