package io.ailurus.storage;

import com.sun.nio.file.ExtendedOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether segment files of one data directory are written with O_DIRECT, and the helpers to open and fill them.
 * Direct I/O needs 4 KiB-aligned memory, file positions and lengths; every write here is shaped that way. Filesystems
 * that refuse O_DIRECT (tmpfs answers EINVAL) get buffered writes of the same shape, announced by one WARN line.
 */
final class IoMode {
    static final int PAGE = 4096;
    private static final Logger log = LoggerFactory.getLogger(IoMode.class);

    private volatile boolean direct;
    private final AtomicBoolean warned = new AtomicBoolean();

    IoMode(boolean wantDirect) {
        this.direct = wantDirect;
    }

    boolean direct() {
        return direct;
    }

    static ByteBuffer alignedBuffer(int size) {
        return ByteBuffer.allocateDirect(size + PAGE).alignedSlice(PAGE);
    }

    static long roundUp(long n) {
        return (n + PAGE - 1) & -PAGE;
    }

    static long roundDown(long n) {
        return n & -PAGE;
    }

    /** Opens {@code file} for writing, direct if this directory can, falling back (and remembering) if it cannot. */
    FileChannel openForWrite(Path file) throws IOException {
        if (direct) {
            try {
                return FileChannel.open(file, new OpenOption[]{StandardOpenOption.WRITE, StandardOpenOption.READ,
                        ExtendedOpenOption.DIRECT});
            } catch (IOException | UnsupportedOperationException e) {
                fallBack(file, e);
            }
        }
        return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }

    /** Creates (or opens) {@code file} for direct writes; used by the data directory's probe. */
    static FileChannel createDirect(Path file) throws IOException {
        return FileChannel.open(file, new OpenOption[]{StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT});
    }

    /** Called when O_DIRECT was refused: switch this directory to buffered writes, logging it once. */
    void fallBack(Path file, Exception why) {
        direct = false;
        if (warned.compareAndSet(false, true)) {
            log.warn("O_DIRECT refused for {} ({}); writing segment files of this directory through the page cache",
                    file, why.toString());
        }
    }

    /** Writes all of {@code buf} (aligned, whole pages) at {@code position}. */
    static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }
}
