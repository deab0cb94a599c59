package io.ailurus.raft.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerSnapshotFileTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsTheModelAndPosition() throws IOException {
        KvModel model = new KvModel();
        model.apply(3, new KvModel.Put("a", "1"));
        model.apply(9, new KvModel.Put("b", "2"));
        Path file = dir.resolve(ControllerSnapshotFile.NAME);
        ControllerSnapshotFile.write(file, 9, 42, model::writeSnapshot);

        KvModel restored = new KvModel();
        ControllerSnapshotFile.Header header = ControllerSnapshotFile.read(file, restored::readSnapshot);
        assertEquals(9, header.appliedIndex());
        assertEquals(42, header.nextOffset());
        assertEquals(Map.of("a", "1", "b", "2"), restored.snapshotOfMap());
        assertEquals(9, restored.lastIndex());
    }

    @Test
    void aFlippedByteOrATruncatedFileIsRefusedAndTheModelUntouched() throws IOException {
        KvModel model = new KvModel();
        model.apply(1, new KvModel.Put("a", "1"));
        Path file = dir.resolve(ControllerSnapshotFile.NAME);
        ControllerSnapshotFile.write(file, 1, 1, model::writeSnapshot);
        byte[] bytes = Files.readAllBytes(file);

        bytes[20] ^= 1;
        Files.write(file, bytes);
        KvModel target = new KvModel();
        target.apply(5, new KvModel.Put("keep", "me"));
        IOException corrupt = assertThrows(IOException.class, () -> ControllerSnapshotFile.read(file, target::readSnapshot));
        assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());
        assertEquals(Map.of("keep", "me"), target.snapshotOfMap());

        Files.write(file, java.util.Arrays.copyOf(bytes, 10));
        IOException truncated = assertThrows(IOException.class, () -> ControllerSnapshotFile.read(file, target::readSnapshot));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }
}
