package io.ailurus.bench.storage;

import io.ailurus.storage.PartitionLog;
import io.ailurus.storage.ReadResult;
import io.ailurus.storage.ReadSlice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reads logs from their start the way a consumer's fetches would: {@code read(offset, 1 MiB, ...)} in a loop, and
 * every batch's bytes copied into a buffer (a positional read per file region, a copy per cached batch), so the
 * bytes are really touched. One thread, one log after the other.
 */
final class SequentialReader {
    static final int FETCH_BYTES = 1 << 20;
    private final ByteBuffer sink = ByteBuffer.allocateDirect(16 << 20);

    /** The figures of one pass. */
    record Pass(long bytes, long batches, long fileBytes, long nanos) {
        double mibPerSecond() {
            return nanos == 0 ? 0 : bytes / (nanos / 1e9) / (1 << 20);
        }
    }

    /** Reads up to {@code budgetBytes} in total, an equal share from the start of each log. */
    Pass read(List<PartitionLog> logs, long budgetBytes) {
        long perLog = Math.max(1, budgetBytes / logs.size());
        long bytes = 0;
        long batches = 0;
        long fileBytes = 0;
        long t0 = System.nanoTime();
        for (PartitionLog l : logs) {
            long offset = l.logStartOffset();
            long end = l.logEndOffset();
            long fromThisLog = 0;
            while (offset < end && fromThisLog < perLog) {
                int fetch = (int) Math.min(FETCH_BYTES, perLog - fromThisLog);
                ReadResult r = l.read(offset, fetch, Long.MAX_VALUE, true);
                if (r.isEmpty()) {
                    break;
                }
                for (ReadSlice s : r.slices()) {
                    int n = touch(s);
                    if (s instanceof ReadSlice.FileSlice) {
                        fileBytes += n;
                    }
                    fromThisLog += n;
                    batches++;
                }
                offset = r.nextOffset(offset);
            }
            bytes += fromThisLog;
        }
        return new Pass(bytes, batches, fileBytes, System.nanoTime() - t0);
    }

    private int touch(ReadSlice s) {
        if (sink.remaining() < s.length()) {
            sink.clear();
        }
        ByteBuffer dst = sink.slice(sink.position(), s.length());
        switch (s) {
            case ReadSlice.FileSlice f -> {
                try {
                    while (dst.hasRemaining()) {
                        if (f.channel().read(dst, f.position() + dst.position()) < 0) {
                            throw new IllegalStateException("segment file ended inside a batch at " + f.position());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case ReadSlice.BufferSlice b -> dst.put(b.buffer().duplicate());
        }
        sink.position(sink.position() + s.length());
        return s.length();
    }
}
