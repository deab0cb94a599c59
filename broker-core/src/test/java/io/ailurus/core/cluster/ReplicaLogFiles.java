package io.ailurus.core.cluster;

import io.ailurus.storage.EntryType;
import io.ailurus.storage.format.EntryHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Reads one replica's copy of a partition straight from the segment files of a <em>running</em> broker
 * (the storage's lock only keeps a second writer out), so a test can see what each replica holds,
 * uncommitted tail included, which no Kafka request shows: followers serve no fetches and a leader
 * serves only what is committed.
 *
 * <p>Follows the segment format of {@code docs/storage.md}: entries in Raft-index order from the first
 * segment on; reading stops at the first entry that is not (yet) complete and valid — zeros, a header
 * that does not parse, a CRC that does not match (a write in progress), an index that is not the next
 * one or a term that goes backwards (bytes left over from a truncated tail).
 */
final class ReplicaLogFiles {
    private ReplicaLogFiles() {}

    /** A record as the replica holds it: Kafka offset, value, and the Raft term of its entry. */
    record Held(long offset, String value, long term) {}

    /**
     * Every record in partition {@code partition} of {@code topic} in the broker data directory
     * {@code dataDir}, in log order; empty when the partition's directory does not exist yet.
     */
    static List<Held> read(Path dataDir, String topic, int partition) throws IOException {
        Path topicDir = dataDir.resolve("kafka").resolve(topic);
        if (!Files.isDirectory(topicDir)) {
            return List.of();
        }
        Path logDir;
        try (Stream<Path> dirs = Files.list(topicDir)) {
            // The directory is "<partition>_<topic id>".
            logDir = dirs.filter(d -> d.getFileName().toString().startsWith(partition + "_")).findFirst().orElse(null);
        }
        if (logDir == null) {
            return List.of();
        }
        List<Path> segments;
        try (Stream<Path> files = Files.list(logDir)) {
            segments = files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.log")).sorted().toList();
        }
        List<Held> out = new ArrayList<>();
        long expectedIndex = -1;
        long lastTerm = 0;
        for (Path segment : segments) {
            long base = Long.parseLong(segment.getFileName().toString().substring(0, 20));
            if (expectedIndex >= 0 && base != expectedIndex) {
                break; // not the continuation of what was read so far
            }
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
                long position = 0;
                long size = ch.size();
                while (position + EntryHeader.SIZE <= size) {
                    ByteBuffer header = readFully(ch, position, EntryHeader.SIZE);
                    if (EntryHeader.shape(header, 0, Integer.MAX_VALUE) != EntryHeader.Shape.PLAUSIBLE) {
                        return out;
                    }
                    EntryHeader h = EntryHeader.read(header, 0);
                    long index = expectedIndex < 0 ? base : expectedIndex;
                    if (h.index() != index || h.term() < lastTerm || position + h.totalSize() > size) {
                        return out;
                    }
                    ByteBuffer payload = readFully(ch, position + EntryHeader.SIZE, h.length());
                    if (!EntryHeader.crcMatches(header, 0, payload)) {
                        return out;
                    }
                    if (h.type() == EntryType.DATA) {
                        for (RecordBatch batch : MemoryRecords.readableRecords(payload).batches()) {
                            for (Record r : batch) {
                                out.add(new Held(r.offset(), value(r), h.term()));
                            }
                        }
                    }
                    expectedIndex = index + 1;
                    lastTerm = h.term();
                    position += h.totalSize();
                }
            }
        }
        return out;
    }

    private static String value(Record r) {
        if (!r.hasValue()) {
            return null;
        }
        ByteBuffer v = r.value();
        byte[] bytes = new byte[v.remaining()];
        v.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                break;
            }
        }
        buf.flip();
        return buf;
    }
}
