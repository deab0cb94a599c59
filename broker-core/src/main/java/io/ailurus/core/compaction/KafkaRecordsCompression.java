package io.ailurus.core.compaction;

import io.ailurus.storage.RecordsCompression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.ByteBufferOutputStream;

/**
 * Every Kafka codec (none, gzip, snappy, lz4, zstd) for the log cleaner, through Apache Kafka's own compression
 * streams, so a compacted batch is read and rewritten exactly as a Kafka client writes it. Storage itself only knows
 * none and gzip.
 */
public final class KafkaRecordsCompression implements RecordsCompression {

    @Override
    public boolean supports(int codec) {
        return codec >= 0 && codec <= 4;
    }

    @Override
    public ByteBuffer decompress(int codec, ByteBuffer compressed) throws IOException {
        if (codec == 0) {
            return compressed.slice();
        }
        Compression c = compression(codec);
        try (InputStream in = c.wrapForInput(compressed.duplicate(), RecordBatch.MAGIC_VALUE_V2, BufferSupplier.NO_CACHING)) {
            return ByteBuffer.wrap(in.readAllBytes());
        } catch (KafkaException e) {
            throw new IOException("cannot decompress " + c.type() + " records: " + e.getMessage(), e);
        }
    }

    @Override
    public ByteBuffer compress(int codec, ByteBuffer raw) throws IOException {
        if (codec == 0) {
            return raw.slice();
        }
        Compression c = compression(codec);
        ByteBufferOutputStream out = new ByteBufferOutputStream(Math.max(64, raw.remaining() / 2));
        try (OutputStream os = c.wrapForOutput(out, RecordBatch.MAGIC_VALUE_V2)) {
            ByteBuffer r = raw.duplicate();
            byte[] chunk = new byte[8192];
            while (r.hasRemaining()) {
                int n = Math.min(chunk.length, r.remaining());
                r.get(chunk, 0, n);
                os.write(chunk, 0, n);
            }
        } catch (KafkaException e) {
            throw new IOException("cannot compress records with " + c.type() + ": " + e.getMessage(), e);
        }
        ByteBuffer b = out.buffer();
        b.flip();
        return b;
    }

    private static Compression compression(int codec) throws IOException {
        try {
            return Compression.of(CompressionType.forId(codec)).build();
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown compression codec " + codec, e);
        }
    }
}
