package io.ailurus.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Key -> latest offset for one compaction pass, in fixed memory: open addressing over 128-bit MD5 digests of the keys
 * (24 bytes a slot), so a key of any size costs the same and the map never grows. Two different keys sharing a
 * digest would make the older one look superseded; with 128 bits that is not a practical concern (Kafka's cleaner
 * makes the same trade with its own digest map). Single-threaded.
 */
final class OffsetMap {
    /** Kafka fills its map to 90 % before a pass stops mapping; longer probe chains beyond that cost more than they save. */
    private static final double LOAD_FACTOR = 0.9;
    static final int BYTES_PER_ENTRY = 24;

    private final long[] hi;
    private final long[] lo;
    private final long[] offsets;
    private final int mask;
    private final int maxEntries;
    private final MessageDigest md5;
    private int size;

    /** A map using about {@code bytes} of memory (at least 1024 slots). */
    OffsetMap(long bytes) {
        long slots = Math.max(1024, Long.highestOneBit(Math.max(1, bytes / BYTES_PER_ENTRY)));
        int n = (int) Math.min(slots, 1 << 28);
        hi = new long[n];
        lo = new long[n];
        offsets = new long[n];
        Arrays.fill(offsets, -1);
        mask = n - 1;
        maxEntries = (int) (n * LOAD_FACTOR);
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** Empties the map for the next pass (no new allocation). */
    void clear() {
        Arrays.fill(offsets, -1);
        size = 0;
    }

    /** True when no new key can be added. */
    boolean full() {
        return size >= maxEntries;
    }

    int size() {
        return size;
    }

    /**
     * Records {@code offset} as the latest for {@code key} (a later put of the same key wins). Returns false, changing
     * nothing, when the key is new and the map is full.
     */
    boolean put(ByteBuffer key, long offset) {
        long[] h = digest(key);
        int slot = (int) (h[0] ^ (h[0] >>> 32)) & mask;
        while (offsets[slot] >= 0) {
            if (hi[slot] == h[0] && lo[slot] == h[1]) {
                offsets[slot] = Math.max(offsets[slot], offset);
                return true;
            }
            slot = (slot + 1) & mask;
        }
        if (full()) {
            return false;
        }
        hi[slot] = h[0];
        lo[slot] = h[1];
        offsets[slot] = offset;
        size++;
        return true;
    }

    /** The latest offset recorded for {@code key}, or -1. */
    long get(ByteBuffer key) {
        long[] h = digest(key);
        int slot = (int) (h[0] ^ (h[0] >>> 32)) & mask;
        while (offsets[slot] >= 0) {
            if (hi[slot] == h[0] && lo[slot] == h[1]) {
                return offsets[slot];
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private long[] digest(ByteBuffer key) {
        md5.reset();
        md5.update(key.duplicate());
        ByteBuffer d = ByteBuffer.wrap(md5.digest());
        return new long[]{d.getLong(), d.getLong()};
    }
}
