package io.ailurus.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A compacted log's {@code cleaner-checkpoint}: the first dirty offset (everything below it has been compacted
 * against every key seen before it) and the earliest delete horizon of a tombstone still kept (the log must be
 * compacted again then, whatever its dirty ratio). Replaced atomically; a missing or unreadable file means "nothing
 * compacted yet", which only costs a pass.
 */
record CleanerCheckpoint(long firstDirtyOffset, long nextDeleteHorizonMs) {
    static final String FILE = "cleaner-checkpoint";
    static final CleanerCheckpoint NONE = new CleanerCheckpoint(0, Long.MAX_VALUE);

    static CleanerCheckpoint read(Path dir) {
        try {
            String[] lines = Files.readString(dir.resolve(FILE), StandardCharsets.US_ASCII).split("\n");
            String[] f = lines[1].trim().split(" ");
            return new CleanerCheckpoint(Long.parseLong(f[0]), Long.parseLong(f[1]));
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException | RuntimeException e) {
            Checkpoints.log.warn("ignoring unreadable {} in {}: {}", FILE, dir, e.toString());
            return NONE;
        }
    }

    void write(Path dir) throws IOException {
        Checkpoints.writeAtomically(dir, FILE, "1\n" + firstDirtyOffset + " " + nextDeleteHorizonMs + "\n");
    }
}
