package io.ailurus.storage;

import io.ailurus.storage.format.BatchHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The record-level half of compaction, on one Kafka record batch (magic v2): lists its keys for the offset map, and
 * rewrites it keeping only the records that are still the latest for their key.
 * <p>What is never touched: control batches (transaction markers) and transactional batches (whether their
 * transaction committed is not known here; keeping them loses nothing), batches whose codec is not supported. A
 * rewritten batch keeps its base offset, last offset delta, leader epoch, producer id/epoch/base sequence and max
 * timestamp, so offsets, the time index and idempotent-producer state rebuilt from the log are unchanged; a batch
 * that loses every record stays as an empty batch (record count 0), which Kafka clients skip.
 * <p>Tombstones (null values) follow Kafka's KIP-534: the first pass that keeps one stamps the batch with a delete
 * horizon ({@code now + delete.retention.ms}, stored in the base timestamp with attribute bit 6, record timestamp
 * deltas adjusted so every record keeps its timestamp); a later pass after the horizon removes it.
 */
final class BatchCompactor {
    static final int CRC = 17;
    static final int ATTRIBUTES = 21;
    static final int BASE_TIMESTAMP = 27;
    static final int RECORD_COUNT = 57;
    static final int COMPRESSION_MASK = 0x07;
    static final int TRANSACTIONAL = 0x10;
    static final int CONTROL = 0x20;
    static final int DELETE_HORIZON = 0x40;

    /** Receives each keyed record of a batch. */
    interface KeyConsumer {
        /** Returns false to stop (the offset map is full). */
        boolean accept(ByteBuffer key, long offset);
    }

    /** How one batch came out of a pass. */
    record Outcome(ByteBuffer batch, boolean changed, int recordsRemoved, long tombstoneHorizon) {
        static Outcome unchanged(ByteBuffer batch) {
            return new Outcome(batch, false, 0, Long.MAX_VALUE);
        }
    }

    private record Rec(long offset, long timestamp, byte attributes, int offsetDelta, ByteBuffer key,
                       boolean tombstone, ByteBuffer rest) {
    }

    private BatchCompactor() {
    }

    /** Whether the cleaner may look inside this batch at all. */
    static boolean compactable(ByteBuffer batch, RecordsCompression compression) {
        int attrs = attributes(batch);
        return (attrs & (CONTROL | TRANSACTIONAL)) == 0 && compression.supports(attrs & COMPRESSION_MASK);
    }

    static int attributes(ByteBuffer batch) {
        return batch.getShort(batch.position() + ATTRIBUTES);
    }

    /**
     * Feeds the keyed records of a compactable batch to {@code out} in offset order. Returns false when {@code out}
     * stopped early; a batch the cleaner may not look into feeds nothing and returns true.
     */
    static boolean forEachKey(ByteBuffer batch, RecordsCompression compression, KeyConsumer out) throws IOException {
        if (!compactable(batch, compression)) {
            return true;
        }
        for (Rec r : records(batch, compression)) {
            if (r.key != null && !out.accept(r.key, r.offset)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rewrites a batch keeping the records {@code map} still calls the latest (a key absent from the map is kept),
     * dropping keyless records (a compacted topic cannot hold them) and tombstones whose delete horizon has passed.
     */
    static Outcome compact(ByteBuffer batch, RecordsCompression compression, OffsetMap map, long nowMs,
                           long deleteRetentionMs) throws IOException {
        if (!compactable(batch, compression)) {
            return Outcome.unchanged(batch);
        }
        int p = batch.position();
        int attrs = attributes(batch);
        boolean hasHorizon = (attrs & DELETE_HORIZON) != 0;
        long base = batch.getLong(p + BASE_TIMESTAMP);
        List<Rec> all = records(batch, compression);
        List<Rec> kept = new ArrayList<>(all.size());
        boolean keptTombstone = false;
        for (Rec r : all) {
            if (r.key == null) {
                continue;
            }
            long latest = map.get(r.key);
            if (latest > r.offset) {
                continue;
            }
            if (r.tombstone) {
                if (hasHorizon && nowMs >= base) {
                    continue;
                }
                keptTombstone = true;
            }
            kept.add(r);
        }
        boolean stampHorizon = keptTombstone && !hasHorizon;
        if (kept.size() == all.size() && !stampHorizon) {
            return new Outcome(batch, false, 0, keptTombstone ? base : Long.MAX_VALUE);
        }
        int removed = all.size() - kept.size();
        if (kept.isEmpty()) {
            return new Outcome(emptyBatch(batch), true, removed, Long.MAX_VALUE);
        }
        long newBase = base;
        int newAttrs = attrs;
        if (stampHorizon) {
            newBase = deleteRetentionMs > Long.MAX_VALUE - nowMs ? Long.MAX_VALUE : nowMs + deleteRetentionMs;
            newAttrs |= DELETE_HORIZON;
        }
        ByteBuffer rebuilt = rebuild(batch, kept, newAttrs, newBase, compression);
        return new Outcome(rebuilt, true, removed, keptTombstone ? (hasHorizon ? base : newBase) : Long.MAX_VALUE);
    }

    private static List<Rec> records(ByteBuffer batch, RecordsCompression compression) throws IOException {
        int p = batch.position();
        int attrs = attributes(batch);
        long baseOffset = BatchHeader.baseOffset(batch, p);
        long baseTs = batch.getLong(p + BASE_TIMESTAMP);
        int count = batch.getInt(p + RECORD_COUNT);
        ByteBuffer section = batch.duplicate().position(p + BatchHeader.SIZE).slice();
        ByteBuffer recs = compression.decompress(attrs & COMPRESSION_MASK, section);
        List<Rec> out = new ArrayList<>(Math.max(0, Math.min(count, 1 << 16)));
        try {
            for (int i = 0; i < count; i++) {
                int len = Varints.readVarint(recs);
                int start = recs.position();
                byte a = recs.get();
                long tsDelta = Varints.readVarlong(recs);
                int offsetDelta = Varints.readVarint(recs);
                int restStart = recs.position();
                int keyLen = Varints.readVarint(recs);
                ByteBuffer key = keyLen < 0 ? null : recs.slice(recs.position(), keyLen);
                recs.position(recs.position() + Math.max(0, keyLen));
                int valueLen = Varints.readVarint(recs);
                int end = start + len;
                ByteBuffer rest = recs.slice(restStart, end - restStart);
                recs.position(end);
                out.add(new Rec(baseOffset + offsetDelta, baseTs + tsDelta, a, offsetDelta, key, valueLen < 0, rest));
            }
        } catch (RuntimeException e) {
            throw new IOException("batch at offset " + baseOffset + " holds unreadable records: " + e, e);
        }
        return out;
    }

    private static ByteBuffer rebuild(ByteBuffer batch, List<Rec> kept, int attrs, long baseTs,
                                      RecordsCompression compression) throws IOException {
        int total = 0;
        for (Rec r : kept) {
            int body = bodySize(r, baseTs);
            total += Varints.sizeOfVarlong(body) + body;
        }
        ByteBuffer raw = ByteBuffer.allocate(total);
        for (Rec r : kept) {
            Varints.writeVarlong(raw, bodySize(r, baseTs));
            raw.put(r.attributes);
            Varints.writeVarlong(raw, r.timestamp - baseTs);
            Varints.writeVarlong(raw, r.offsetDelta);
            raw.put(r.rest.duplicate());
        }
        raw.flip();
        ByteBuffer section = compression.compress(attrs & COMPRESSION_MASK, raw);
        return withHeader(batch, section, attrs, baseTs, kept.size());
    }

    private static int bodySize(Rec r, long baseTs) {
        return 1 + Varints.sizeOfVarlong(r.timestamp - baseTs) + Varints.sizeOfVarlong(r.offsetDelta) + r.rest.remaining();
    }

    /** The batch with no records: uncompressed, base timestamp = max timestamp, everything else as it was. */
    static ByteBuffer emptyBatch(ByteBuffer batch) {
        int attrs = attributes(batch) & ~COMPRESSION_MASK & ~DELETE_HORIZON;
        long maxTs = BatchHeader.maxTimestamp(batch, batch.position());
        return withHeader(batch, ByteBuffer.allocate(0), attrs, maxTs, 0);
    }

    private static ByteBuffer withHeader(ByteBuffer batch, ByteBuffer section, int attrs, long baseTs, int count) {
        ByteBuffer out = ByteBuffer.allocate(BatchHeader.SIZE + section.remaining());
        out.put(batch.duplicate().limit(batch.position() + BatchHeader.SIZE));
        out.put(section.duplicate());
        out.putInt(BatchHeader.BATCH_LENGTH, out.capacity() - 12);
        out.putShort(ATTRIBUTES, (short) attrs);
        out.putLong(BASE_TIMESTAMP, baseTs);
        out.putInt(RECORD_COUNT, count);
        CRC32C crc = new CRC32C();
        crc.update(out.duplicate().position(ATTRIBUTES).limit(out.capacity()));
        out.putInt(CRC, (int) crc.getValue());
        return out.clear();
    }
}
