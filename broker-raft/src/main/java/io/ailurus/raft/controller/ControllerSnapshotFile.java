package io.ailurus.raft.controller;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The controller's snapshot file: a header (magic, version, applied index, next Kafka offset),
 * the model's bytes, and a CRC32C over everything before it, fsynced before jraft publishes the
 * snapshot. A torn or corrupt file is refused on load rather than half-applied.
 */
final class ControllerSnapshotFile {

    /** The file's name inside a jraft snapshot directory. */
    static final String NAME = "controller.snapshot";
    private static final int MAGIC = 0x41494c43; // "AILC"
    private static final short VERSION = 1;

    /** What the header says. */
    record Header(long appliedIndex, long nextOffset) {
    }

    /** Writes the model's state. */
    @FunctionalInterface
    interface ModelWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Reads the model's state. */
    @FunctionalInterface
    interface ModelReader {
        void read(InputStream in) throws IOException;
    }

    private ControllerSnapshotFile() {
    }

    static void write(Path file, long appliedIndex, long nextOffset, ModelWriter model) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeLong(appliedIndex);
        out.writeLong(nextOffset);
        ByteArrayOutputStream modelBytes = new ByteArrayOutputStream();
        model.write(modelBytes);
        out.writeInt(modelBytes.size());
        modelBytes.writeTo(out);
        out.flush();
        CRC32C crc = new CRC32C();
        byte[] bytes = body.toByteArray();
        crc.update(bytes);
        ByteBuffer all = ByteBuffer.allocate(bytes.length + 4).put(bytes).putInt((int) crc.getValue()).flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (all.hasRemaining()) {
                ch.write(all);
            }
            ch.force(true);
        }
    }

    static Header read(Path file, ModelReader model) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 4 + 2 + 8 + 8 + 4 + 4) {
            throw new IOException("snapshot file " + file + " is truncated (" + bytes.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException("snapshot file " + file + " fails its checksum");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4));
        if (in.readInt() != MAGIC) {
            throw new IOException("snapshot file " + file + " is not a controller snapshot");
        }
        short version = in.readShort();
        if (version != VERSION) {
            throw new IOException("snapshot file " + file + " has unknown version " + version);
        }
        long appliedIndex = in.readLong();
        long nextOffset = in.readLong();
        int length = in.readInt();
        if (length < 0 || length != in.available()) {
            throw new IOException("snapshot file " + file + " model length " + length + " does not match");
        }
        byte[] modelBytes = in.readNBytes(length);
        model.read(new ByteArrayInputStream(modelBytes));
        return new Header(appliedIndex, nextOffset);
    }
}
