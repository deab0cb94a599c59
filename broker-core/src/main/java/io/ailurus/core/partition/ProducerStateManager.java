package io.ailurus.core.partition;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Per-partition idempotent-producer state: for each producer id, its epoch and last batches.
 *
 * <p>The partition calls {@link #check} before appending a batch (on the partition's owner shard, so
 * no locking) and {@link #record} once the batch has its offsets. The state is rebuilt after a restart
 * from the last snapshot plus the batches appended after it ({@link #record} again, during recovery),
 * so duplicate detection survives restarts.
 *
 * <p>Rules follow Kafka's: a lower epoch than the one seen is fenced ({@code INVALID_PRODUCER_EPOCH});
 * a higher epoch must start at sequence 0; within an epoch sequences must be contiguous
 * ({@code OUT_OF_ORDER_SEQUENCE_NUMBER}), and a batch equal to one of the last five is a retry answered
 * with the original offsets. A producer whose state was lost (expired or its batches deleted by
 * retention) may resume at any sequence, as in Kafka since KIP-360.
 */
public final class ProducerStateManager {
    private static final int SNAPSHOT_MAGIC = 0x41505331; // "APS1"

    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();

    /** Result of {@link #check}: either the batch is new, or it is a duplicate of an earlier one. */
    public record CheckResult(ProducerBatch duplicateOf) {
        static final CheckResult NEW = new CheckResult(null);

        public boolean isDuplicate() { return duplicateOf != null; }
    }

    /**
     * Decides what to do with an incoming batch before it is appended.
     *
     * @throws ProducerStateException when the batch breaks the epoch or sequence rules
     */
    public CheckResult check(long producerId, short epoch, int firstSequence, int lastSequence) {
        if (producerId == ProducerBatch.NO_PRODUCER_ID) {
            return CheckResult.NEW;
        }
        ProducerStateEntry entry = producers.get(producerId);
        if (entry == null) {
            return CheckResult.NEW;
        }
        if (epoch < entry.epoch()) {
            throw new ProducerStateException(ProducerStateException.Reason.INVALID_PRODUCER_EPOCH,
                "producer " + producerId + " epoch " + epoch + " is older than the current epoch " + entry.epoch());
        }
        ProducerBatch duplicate = entry.findDuplicate(epoch, firstSequence, lastSequence);
        if (duplicate != null) {
            return new CheckResult(duplicate);
        }
        if (epoch > entry.epoch()) {
            if (firstSequence != 0) {
                throw new ProducerStateException(ProducerStateException.Reason.OUT_OF_ORDER_SEQUENCE,
                    "producer " + producerId + " started epoch " + epoch + " at sequence " + firstSequence + ", expected 0");
            }
            return CheckResult.NEW;
        }
        int last = entry.lastSequence();
        if (last != ProducerBatch.NO_SEQUENCE && firstSequence != nextSequence(last)) {
            throw new ProducerStateException(ProducerStateException.Reason.OUT_OF_ORDER_SEQUENCE,
                "producer " + producerId + " epoch " + epoch + ": sequence " + firstSequence
                    + " does not follow the last written sequence " + last);
        }
        return CheckResult.NEW;
    }

    /** Remembers an appended batch (also used to replay the log after a restart). */
    public void record(ProducerBatch batch) {
        if (!batch.isIdempotent()) {
            return;
        }
        producers.computeIfAbsent(batch.producerId(), id -> new ProducerStateEntry(id, batch.producerEpoch()))
            .record(batch);
    }

    /** Sequences wrap from Integer.MAX_VALUE to 0, as in Kafka. */
    static int nextSequence(int sequence) {
        return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
    }

    /** Forgets producers idle since before {@code cutoffTimestamp} ({@code producer.id.expiration.ms}). */
    public int expireProducersIdleSince(long cutoffTimestamp) {
        int before = producers.size();
        producers.values().removeIf(e -> e.lastTimestamp() < cutoffTimestamp);
        return before - producers.size();
    }

    /** Drops what was learnt from batches at or after {@code offset} (log truncation): rebuilt by replay. */
    public void removeBatchesFrom(long offset) {
        List<Long> empty = new ArrayList<>();
        for (ProducerStateEntry e : producers.values()) {
            List<ProducerBatch> kept = e.batches().stream().filter(b -> b.lastOffset() < offset).toList();
            if (kept.size() != e.batches().size()) {
                producers.put(e.producerId(), rebuilt(e, kept));
                if (kept.isEmpty()) {
                    empty.add(e.producerId());
                }
            }
        }
        empty.forEach(producers::remove);
    }

    private static ProducerStateEntry rebuilt(ProducerStateEntry old, List<ProducerBatch> kept) {
        ProducerStateEntry e = new ProducerStateEntry(old.producerId(), old.epoch());
        kept.forEach(e::record);
        return e;
    }

    public int producerCount() { return producers.size(); }

    /** Forgets every producer (before a full replay of the log). */
    public void reset() {
        producers.clear();
    }

    public Collection<Long> producerIds() { return List.copyOf(producers.keySet()); }

    public short epochOf(long producerId) {
        ProducerStateEntry e = producers.get(producerId);
        return e == null ? ProducerBatch.NO_PRODUCER_EPOCH : e.epoch();
    }

    /**
     * Writes the state as of {@code logEndOffset} to {@code file} atomically (temp file, fsync, rename),
     * so recovery replays only the batches after that offset.
     */
    public void writeSnapshot(Path file, long logEndOffset) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            CRC32C crc = new CRC32C();
            byte[] body = encode(logEndOffset);
            crc.update(body);
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(SNAPSHOT_MAGIC);
            data.writeInt(body.length);
            data.writeInt((int) crc.getValue());
            data.write(body);
            data.flush();
        }
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private byte[] encode(long logEndOffset) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(logEndOffset);
        out.writeInt(producers.size());
        for (ProducerStateEntry e : producers.values()) {
            out.writeLong(e.producerId());
            out.writeShort(e.epoch());
            List<ProducerBatch> batches = e.batches();
            out.writeInt(batches.size());
            for (ProducerBatch b : batches) {
                out.writeShort(b.producerEpoch());
                out.writeInt(b.firstSequence());
                out.writeInt(b.lastSequence());
                out.writeLong(b.firstOffset());
                out.writeLong(b.lastOffset());
                out.writeLong(b.maxTimestamp());
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    /**
     * Replaces the state with the snapshot in {@code file}.
     *
     * @return the log offset the snapshot is valid up to (replay from there), or -1 when the file is
     *     missing or damaged (then the caller replays the whole log)
     */
    public long loadSnapshot(Path file) {
        producers.clear();
        if (!Files.isRegularFile(file)) {
            return -1;
        }
        try (InputStream in = Files.newInputStream(file)) {
            DataInputStream data = new DataInputStream(in);
            if (data.readInt() != SNAPSHOT_MAGIC) {
                return -1;
            }
            int length = data.readInt();
            int expectedCrc = data.readInt();
            if (length < 12 || length > (1 << 30)) {
                return -1;
            }
            byte[] body = data.readNBytes(length);
            CRC32C crc = new CRC32C();
            crc.update(body);
            if (body.length != length || (int) crc.getValue() != expectedCrc) {
                return -1;
            }
            return decode(body);
        } catch (IOException e) {
            producers.clear();
            return -1;
        }
    }

    private long decode(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
        long offset = in.readLong();
        int count = in.readInt();
        Map<Long, ProducerStateEntry> loaded = new HashMap<>();
        for (int i = 0; i < count; i++) {
            long pid = in.readLong();
            ProducerStateEntry e = new ProducerStateEntry(pid, in.readShort());
            int batches = in.readInt();
            for (int j = 0; j < batches; j++) {
                e.record(new ProducerBatch(pid, in.readShort(), in.readInt(), in.readInt(),
                    in.readLong(), in.readLong(), in.readLong()));
            }
            loaded.put(pid, e);
        }
        producers.putAll(loaded);
        return offset;
    }
}
