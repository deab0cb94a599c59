package io.ailurus.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads and writes a segment's {@code .index} and {@code .timeindex} files. They are written once, when the segment
 * is sealed (rolled or cleanly closed), and validated when loaded: magic, size, CRC32C over the whole file, monotonic
 * rows within the segment. Anything wrong means "rebuild by scanning", never "trust".
 * <pre>
 * .index:     "AIX1" | rows (long raftIndex, long offsetBefore, int position) | seal (8 longs) | int crc32c
 * .timeindex: "ATX1" | rows (long maxTimestamp, long offset) | int crc32c
 * </pre>
 */
final class IndexFiles {
    private static final int INDEX_MAGIC = 0x41495831;     // "AIX1"
    private static final int TIME_MAGIC = 0x41545831;      // "ATX1"
    private static final int INDEX_ROW = 20;
    private static final int TIME_ROW = 16;
    private static final int SEAL = 8 * 8;

    private IndexFiles() {
    }

    static void write(Path indexFile, Path timeIndexFile, SparseIndex index, TimeIndex timeIndex, SealInfo seal)
            throws IOException {
        int n = index.size();
        ByteBuffer buf = ByteBuffer.allocate(4 + n * INDEX_ROW + SEAL + 4);
        buf.putInt(INDEX_MAGIC);
        for (int i = 0; i < n; i++) {
            buf.putLong(index.indexAt(i)).putLong(index.offsetAt(i)).putInt(index.positionAt(i));
        }
        buf.putLong(seal.segmentLength()).putLong(seal.baseIndex()).putLong(seal.lastIndex()).putLong(seal.lastTerm())
                .putLong(seal.startOffset()).putLong(seal.nextOffset()).putLong(seal.maxTimestamp())
                .putLong(seal.maxTimestampOffset());
        putCrc(buf);
        int t = timeIndex.size();
        ByteBuffer tbuf = ByteBuffer.allocate(4 + t * TIME_ROW + 4);
        tbuf.putInt(TIME_MAGIC);
        for (int i = 0; i < t; i++) {
            tbuf.putLong(timeIndex.timestampAt(i)).putLong(timeIndex.offsetAt(i));
        }
        putCrc(tbuf);
        // The time index first: the .index file's seal is what makes the pair trusted.
        writeFully(timeIndexFile, tbuf.flip());
        writeFully(indexFile, buf.flip());
    }

    private static void putCrc(ByteBuffer buf) {
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
    }

    private static void writeFully(Path file, ByteBuffer buf) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /** A loaded, validated pair, or the reason it cannot be used. */
    record Loaded(SparseIndex index, TimeIndex timeIndex, SealInfo seal, String problem) {
        static Loaded problem(String why) {
            return new Loaded(null, null, null, why);
        }
    }

    static Loaded load(Path indexFile, Path timeIndexFile, long baseIndex, long logFileSize) {
        byte[] bytes;
        byte[] tbytes;
        try {
            bytes = Files.readAllBytes(indexFile);
            tbytes = Files.readAllBytes(timeIndexFile);
        } catch (NoSuchFileException e) {
            return Loaded.problem("missing " + e.getFile());
        } catch (IOException e) {
            return Loaded.problem("unreadable: " + e);
        }
        if (bytes.length < 4 + SEAL + 4 || (bytes.length - 4 - SEAL - 4) % INDEX_ROW != 0) {
            return Loaded.problem(indexFile + " has an impossible size " + bytes.length);
        }
        if (!crcOk(bytes)) {
            return Loaded.problem(indexFile + " fails its checksum");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (buf.getInt() != INDEX_MAGIC) {
            return Loaded.problem(indexFile + " has a wrong magic number");
        }
        int n = (bytes.length - 4 - SEAL - 4) / INDEX_ROW;
        SparseIndex index = new SparseIndex();
        long prevIdx = baseIndex - 1;
        long prevOff = Long.MIN_VALUE;
        int prevPos = -1;
        for (int i = 0; i < n; i++) {
            long idx = buf.getLong();
            long off = buf.getLong();
            int pos = buf.getInt();
            if (idx <= prevIdx || off < prevOff || pos <= prevPos || pos >= logFileSize) {
                return Loaded.problem(indexFile + " row " + i + " is not monotonic or points past the segment");
            }
            index.add(idx, off, pos);
            prevIdx = idx;
            prevOff = off;
            prevPos = pos;
        }
        SealInfo seal = new SealInfo(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong(),
                buf.getLong(), buf.getLong(), buf.getLong());
        if (seal.segmentLength() != logFileSize) {
            return Loaded.problem(indexFile + " describes a segment of " + seal.segmentLength()
                    + " bytes but the file has " + logFileSize);
        }
        if (seal.baseIndex() != baseIndex || seal.lastIndex() < baseIndex - 1 || seal.nextOffset() < seal.startOffset()
                || (n > 0 && index.indexAt(n - 1) > seal.lastIndex())) {
            return Loaded.problem(indexFile + " has an inconsistent seal record");
        }
        if (tbytes.length < 8 || (tbytes.length - 8) % TIME_ROW != 0 || !crcOk(tbytes)) {
            return Loaded.problem(timeIndexFile + " is damaged");
        }
        ByteBuffer tbuf = ByteBuffer.wrap(tbytes);
        if (tbuf.getInt() != TIME_MAGIC) {
            return Loaded.problem(timeIndexFile + " has a wrong magic number");
        }
        TimeIndex timeIndex = new TimeIndex();
        int t = (tbytes.length - 8) / TIME_ROW;
        for (int i = 0; i < t; i++) {
            long ts = tbuf.getLong();
            long off = tbuf.getLong();
            if (off < seal.startOffset() || off >= seal.nextOffset() || !timeIndex.maybeAdd(ts, off)) {
                return Loaded.problem(timeIndexFile + " row " + i + " is not monotonic or outside the segment");
            }
        }
        return new Loaded(index, timeIndex, seal, null);
    }

    private static boolean crcOk(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        return (int) crc.getValue() == ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
    }
}
