package io.ailurus.protocol.records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * The records of one Fetch partition as a list of {@link RecordSlice}s. Set it with
 * {@code FetchResponseData.PartitionData.setRecords(..)}; the Ailurus response encoder writes the
 * slices' bytes back to back, file slices as zero-copy file regions.
 *
 * <p>Single use: once encoded (or {@linkplain #release() released}) the slices belong to Netty and this
 * object must not be encoded again. Kafka's own {@code Send} path is not supported ({@link #toSend()}).
 */
public final class SlicedRecords implements BaseRecords {
    private final List<RecordSlice> slices;
    private final int sizeInBytes;
    private final AtomicBoolean handedOff = new AtomicBoolean();

    /** Takes ownership of {@code slices} (see {@link RecordSlice#release()}). */
    public SlicedRecords(List<? extends RecordSlice> slices) {
        this.slices = List.copyOf(slices);
        long total = 0;
        for (RecordSlice s : this.slices) {
            total += s.length();
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("records of " + total + " bytes exceed a Kafka records field");
        }
        this.sizeInBytes = (int) total;
    }

    /** Convenience for a single slice. */
    public static SlicedRecords of(RecordSlice... slices) {
        return new SlicedRecords(List.of(slices));
    }

    @Override
    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** The slices in send order. */
    public List<RecordSlice> slices() {
        return Collections.unmodifiableList(slices);
    }

    /**
     * Marks the slices as taken by the encoder; returns them. Throws if they were already taken or
     * released, because sending a slice twice would double-release its buffer or file hold.
     */
    public List<RecordSlice> takeSlices() {
        if (!handedOff.compareAndSet(false, true)) {
            throw new IllegalStateException("SlicedRecords already encoded or released");
        }
        return slices;
    }

    /** Releases every slice unless the encoder has already taken them; safe to call more than once. */
    public void release() {
        if (handedOff.compareAndSet(false, true)) {
            for (RecordSlice s : slices) {
                s.release();
            }
        }
    }

    /**
     * Copies the slices' bytes into one heap {@link MemoryRecords} (tests, validation, diagnostics: not the
     * send path). Does not release anything.
     */
    public MemoryRecords toMemoryRecords() {
        ByteBuffer out = ByteBuffer.allocate(sizeInBytes);
        for (RecordSlice s : slices) {
            switch (s) {
                case BufferSlice b -> out.put(b.buffer().nioBuffer(b.buffer().readerIndex(), b.length()));
                case FileSlice f -> readFully(f, out);
            }
        }
        return MemoryRecords.readableRecords(out.flip());
    }

    private static void readFully(FileSlice f, ByteBuffer out) {
        ByteBuffer dst = out.slice(out.position(), f.length());
        long pos = f.position();
        try {
            while (dst.hasRemaining()) {
                int n = f.channel().read(dst, pos);
                if (n < 0) {
                    throw new IOException("file ends before slice end " + (f.position() + f.length()));
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.position(out.position() + f.length());
    }

    /** Not supported: Ailurus never sends through Kafka's network layer. */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("SlicedRecords are written by the Ailurus response encoder");
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>(slices.size());
        for (RecordSlice s : slices) {
            parts.add(switch (s) {
                case FileSlice f -> "file@" + f.position() + "+" + f.length();
                case BufferSlice b -> "buf+" + b.length();
            });
        }
        return "SlicedRecords(" + sizeInBytes + " bytes, " + parts + ")";
    }
}
