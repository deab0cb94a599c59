package io.ailurus.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Decompresses and compresses the records section of a Kafka record batch for the {@link LogCleaner}, which must read
 * keys to compact and rewrite the records it keeps with the batch's own codec. Codec ids are Kafka's (the low three
 * bits of the batch attributes: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd).
 * <p>Storage depends on nothing but slf4j, so {@link #BUILT_IN} handles none and gzip (the JDK has them); the broker
 * installs one that handles every Kafka codec. A batch whose codec is not supported is kept whole by the cleaner and
 * its keys do not count as newer versions: nothing is lost, the log just compacts less.
 */
public interface RecordsCompression {

    /** Whether {@code codec} can be read and written. */
    boolean supports(int codec);

    /** The uncompressed records of a batch whose records section is {@code compressed} (position..limit). */
    ByteBuffer decompress(int codec, ByteBuffer compressed) throws IOException;

    /** {@code raw} (position..limit, uncompressed records) compressed with {@code codec}. */
    ByteBuffer compress(int codec, ByteBuffer raw) throws IOException;

    /** None and gzip, with the JDK's own gzip streams (Kafka's gzip is plain RFC 1952). */
    RecordsCompression BUILT_IN = new RecordsCompression() {
        @Override
        public boolean supports(int codec) {
            return codec == 0 || codec == 1;
        }

        @Override
        public ByteBuffer decompress(int codec, ByteBuffer compressed) throws IOException {
            if (codec == 0) {
                return compressed.slice();
            }
            if (codec != 1) {
                throw new IOException("compression codec " + codec + " is not supported here");
            }
            try (InputStream in = new GZIPInputStream(new ByteBufferInput(compressed.duplicate()))) {
                return ByteBuffer.wrap(in.readAllBytes());
            }
        }

        @Override
        public ByteBuffer compress(int codec, ByteBuffer raw) throws IOException {
            if (codec == 0) {
                return raw.slice();
            }
            if (codec != 1) {
                throw new IOException("compression codec " + codec + " is not supported here");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.remaining() / 2));
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                ByteBuffer r = raw.duplicate();
                byte[] chunk = new byte[8192];
                while (r.hasRemaining()) {
                    int n = Math.min(chunk.length, r.remaining());
                    r.get(chunk, 0, n);
                    gz.write(chunk, 0, n);
                }
            }
            return ByteBuffer.wrap(out.toByteArray());
        }
    };

    /** An InputStream over a ByteBuffer's remaining bytes. */
    final class ByteBufferInput extends InputStream {
        private final ByteBuffer buf;

        public ByteBufferInput(ByteBuffer buf) {
            this.buf = buf;
        }

        @Override
        public int read() {
            return buf.hasRemaining() ? buf.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (!buf.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }
    }
}
