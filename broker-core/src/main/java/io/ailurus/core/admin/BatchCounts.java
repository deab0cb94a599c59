package io.ailurus.core.admin;

import io.ailurus.protocol.records.BufferSlice;
import io.ailurus.protocol.records.FileSlice;
import io.ailurus.protocol.records.RecordSlice;
import io.ailurus.protocol.records.SlicedRecords;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Counts records in record batches from their v2 headers alone (never decompressing): the
 * {@code recordsCount} field sits at a fixed offset. A file slice costs one small positional read,
 * which the page cache answers (the batch was just located there for sending).
 */
final class BatchCounts {
    /** Offsets within a v2 batch header (Kafka's DefaultRecordBatch layout). */
    private static final int MAGIC_OFFSET = 16;
    private static final int RECORDS_COUNT_OFFSET = 57;
    private static final int HEADER_SIZE = 61;

    private BatchCounts() {}

    /** Records in {@code records}; batches older than v2 (no count field) count as one each. */
    static long records(BaseRecords records) {
        if (records instanceof MemoryRecords m) {
            long n = 0;
            for (RecordBatch b : m.batches()) {
                Integer c = b.countOrNull();
                n += c == null ? 1 : c;
            }
            return n;
        }
        if (records instanceof SlicedRecords s) {
            long n = 0;
            for (RecordSlice slice : s.slices()) {
                n += count(slice);
            }
            return n;
        }
        return 0;
    }

    private static long count(RecordSlice slice) {
        if (slice.length() < HEADER_SIZE) {
            return 0;
        }
        return switch (slice) {
            case BufferSlice b -> {
                ByteBuf buf = b.buffer();
                int at = buf.readerIndex();
                yield buf.getByte(at + MAGIC_OFFSET) >= RecordBatch.MAGIC_VALUE_V2 ? buf.getInt(at + RECORDS_COUNT_OFFSET) : 1;
            }
            case FileSlice f -> fileCount(f);
        };
    }

    private static long fileCount(FileSlice f) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        try {
            while (header.hasRemaining()) {
                if (f.channel().read(header, f.position() + header.position()) < 0) {
                    return 0;
                }
            }
        } catch (IOException e) {
            return 0; // metrics only: the send itself will report a real problem
        }
        return header.get(MAGIC_OFFSET) >= RecordBatch.MAGIC_VALUE_V2 ? header.getInt(RECORDS_COUNT_OFFSET) : 1;
    }
}
