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
import java.util.TreeMap;
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
 *
 * <p>Transactions: a transactional batch opens the producer's transaction on this partition (its first
 * offset is remembered) or extends it; a COMMIT/ABORT marker ({@link #completeTransaction}) ends it. The
 * first offset of the oldest open transaction bounds the last stable offset; a transaction whose marker
 * is written but not yet below the high watermark still does ({@link #onHighWatermark} releases it), so
 * read_committed consumers never pass a transaction whose outcome could still be lost. Marker rules as
 * Kafka's: an older producer epoch is refused, a newer one fences the producer's current epoch, an older
 * coordinator epoch than the last marker's is refused.
 */
public final class ProducerStateManager {
    private static final int SNAPSHOT_MAGIC = 0x41505332; // "APS2": with transaction state

    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** Open transactions: first offset -> producer id. */
    private final TreeMap<Long, Long> ongoing = new TreeMap<>();
    /** Ended transactions whose marker is not yet below the high watermark: marker offset -> transaction. */
    private final TreeMap<Long, CompletedTxn> unreplicated = new TreeMap<>();

    /**
     * A transaction ended by a marker at {@code lastOffset}. {@code lastStableOffset} is the first offset
     * of the oldest other transaction still open right after it (or {@code lastOffset + 1}): what the
     * aborted-transaction index stores to bound its lookups.
     */
    public record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted, long lastStableOffset) {
        public io.ailurus.storage.AbortedTxn toAbortedTxn() {
            return new io.ailurus.storage.AbortedTxn(producerId, firstOffset, lastOffset, lastStableOffset);
        }
    }

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
        return check(producerId, epoch, firstSequence, lastSequence, false);
    }

    /**
     * As {@link #check(long, short, int, int)}, for a batch that is {@code transactional} or not: a
     * non-transactional batch from a producer with an open transaction here is refused
     * ({@code INVALID_TXN_STATE}), as in Kafka.
     */
    public CheckResult check(long producerId, short epoch, int firstSequence, int lastSequence, boolean transactional) {
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
        if (!transactional && entry.currentTxnFirstOffset() >= 0) {
            throw new ProducerStateException(ProducerStateException.Reason.INVALID_TXN_STATE,
                "producer " + producerId + " wrote a non-transactional batch while its transaction from offset "
                    + entry.currentTxnFirstOffset() + " is open");
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

    /** Whether this partition has state for {@code producerId} at {@code epoch} (it has written one of its batches). */
    public boolean hasState(long producerId, short epoch) {
        ProducerStateEntry e = producers.get(producerId);
        return e != null && e.epoch() == epoch;
    }

    /** Remembers an appended non-transactional batch (also used to replay the log after a restart). */
    public void record(ProducerBatch batch) {
        record(batch, false);
    }

    /** Remembers an appended batch; a transactional one opens or extends the producer's transaction. */
    public void record(ProducerBatch batch, boolean transactional) {
        if (!batch.isIdempotent()) {
            return;
        }
        ProducerStateEntry e = producers.computeIfAbsent(batch.producerId(),
            id -> new ProducerStateEntry(id, batch.producerEpoch()));
        e.record(batch);
        if (transactional && e.currentTxnFirstOffset() < 0) {
            e.beginTransaction(batch.firstOffset());
            ongoing.put(batch.firstOffset(), batch.producerId());
        }
    }

    /**
     * Checks that a COMMIT/ABORT marker for {@code producerId} may be written.
     *
     * @throws ProducerStateException {@code INVALID_PRODUCER_EPOCH} when {@code epoch} is older than the
     *     producer's, {@code COORDINATOR_FENCED} when {@code coordinatorEpoch} is older than the last marker's
     */
    public void checkMarker(long producerId, short epoch, int coordinatorEpoch) {
        ProducerStateEntry e = producers.get(producerId);
        if (e == null) {
            return;
        }
        if (epoch < e.epoch()) {
            throw new ProducerStateException(ProducerStateException.Reason.INVALID_PRODUCER_EPOCH,
                "marker for producer " + producerId + " has epoch " + epoch + ", older than the current epoch " + e.epoch());
        }
        if (coordinatorEpoch < e.coordinatorEpoch()) {
            throw new ProducerStateException(ProducerStateException.Reason.COORDINATOR_FENCED,
                "marker for producer " + producerId + " comes from coordinator epoch " + coordinatorEpoch
                    + ", older than " + e.coordinatorEpoch());
        }
    }

    /**
     * Applies a marker written at {@code markerOffset} (on append and on replay). A marker for a producer
     * with no open transaction here ends an empty one at the marker itself, as in Kafka.
     */
    public CompletedTxn completeTransaction(long producerId, short epoch, boolean commit, int coordinatorEpoch,
                                            long markerOffset, long timestamp) {
        ProducerStateEntry e = producers.computeIfAbsent(producerId, id -> new ProducerStateEntry(id, epoch));
        long first = e.currentTxnFirstOffset() >= 0 ? e.currentTxnFirstOffset() : markerOffset;
        if (e.currentTxnFirstOffset() >= 0) {
            ongoing.remove(first);
        }
        e.endTransaction(epoch, coordinatorEpoch, timestamp);
        long lso = ongoing.isEmpty() ? markerOffset + 1 : ongoing.firstKey();
        CompletedTxn done = new CompletedTxn(producerId, first, markerOffset, !commit, lso);
        unreplicated.put(markerOffset, done);
        return done;
    }

    /** The high watermark reached {@code highWatermark}: ended transactions whose marker is below it are stable. */
    public void onHighWatermark(long highWatermark) {
        unreplicated.headMap(highWatermark, false).clear();
    }

    /**
     * The first offset of the oldest transaction that is open, or ended by a marker not yet below the
     * high watermark; {@code Long.MAX_VALUE} when none. The last stable offset is the lower of this and
     * the high watermark.
     */
    public long firstUnstableOffset() {
        long first = ongoing.isEmpty() ? Long.MAX_VALUE : ongoing.firstKey();
        for (CompletedTxn t : unreplicated.values()) {
            first = Math.min(first, t.firstOffset());
        }
        return first;
    }

    /** Markers applied for {@code producerId} since this state was built (a verification guard's token). */
    public long markerCount(long producerId) {
        ProducerStateEntry e = producers.get(producerId);
        return e == null ? 0 : e.markerCount();
    }

    public boolean hasOngoingTransaction(long producerId) {
        ProducerStateEntry e = producers.get(producerId);
        return e != null && e.currentTxnFirstOffset() >= 0;
    }

    /** Every tracked producer, for DescribeProducers. */
    public List<ActiveProducer> activeProducers() {
        List<ActiveProducer> out = new ArrayList<>(producers.size());
        for (ProducerStateEntry e : producers.values()) {
            out.add(new ActiveProducer(e.producerId(), e.epoch(), e.lastSequence(), e.lastTimestamp(),
                e.coordinatorEpoch(), e.currentTxnFirstOffset()));
        }
        return out;
    }

    /** Sequences wrap from Integer.MAX_VALUE to 0, as in Kafka. */
    static int nextSequence(int sequence) {
        return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
    }

    /** Forgets producers idle since before {@code cutoffTimestamp} ({@code producer.id.expiration.ms}). */
    public int expireProducersIdleSince(long cutoffTimestamp) {
        int before = producers.size();
        // A producer with an open transaction is kept: its transaction still bounds the last stable offset.
        producers.values().removeIf(e -> e.lastTimestamp() < cutoffTimestamp && e.currentTxnFirstOffset() < 0);
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
        e.restoreTransactionState(old.coordinatorEpoch(), old.currentTxnFirstOffset(), 0);
        return e;
    }

    public int producerCount() { return producers.size(); }

    /** Forgets every producer (before a full replay of the log). */
    public void reset() {
        producers.clear();
        ongoing.clear();
        unreplicated.clear();
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
            out.writeInt(e.coordinatorEpoch());
            out.writeLong(e.currentTxnFirstOffset());
            out.writeLong(e.lastTimestamp());
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
        reset();
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
            reset();
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
            int coordinatorEpoch = in.readInt();
            long txnFirstOffset = in.readLong();
            long lastTimestamp = in.readLong();
            int batches = in.readInt();
            for (int j = 0; j < batches; j++) {
                e.record(new ProducerBatch(pid, in.readShort(), in.readInt(), in.readInt(),
                    in.readLong(), in.readLong(), in.readLong()));
            }
            e.restoreTransactionState(coordinatorEpoch, txnFirstOffset, lastTimestamp);
            loaded.put(pid, e);
        }
        producers.putAll(loaded);
        for (ProducerStateEntry e : loaded.values()) {
            if (e.currentTxnFirstOffset() >= 0) {
                ongoing.put(e.currentTxnFirstOffset(), e.producerId());
            }
        }
        return offset;
    }
}
