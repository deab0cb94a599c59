package io.ailurus.protocol.codec;

import io.ailurus.protocol.ProtocolMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into Kafka request frames (int32 size, then that many bytes) and emits each
 * frame's payload as a slice of the read buffer: nothing is copied.
 *
 * <p>A size above the maximum, or negative, closes the connection with a WARN saying why (Kafka does
 * the same: a client that lies about sizes cannot be resynchronised). A frame not yet complete just
 * waits; the idle timeout cleans up a client that never finishes one.
 */
public final class KafkaFrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFrameDecoder.class);

    private final int maxRequestBytes;
    private final ProtocolMetrics metrics;
    private boolean rejected;

    /**
     * @param maxRequestBytes largest payload accepted (the size prefix's value)
     * @param metrics         told when a connection is rejected
     */
    public KafkaFrameDecoder(int maxRequestBytes, ProtocolMetrics metrics) {
        this.maxRequestBytes = maxRequestBytes;
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxRequestBytes) {
            rejected = true;
            String why = size < 0
                    ? "negative request size " + size
                    : "request size " + size + " exceeds the maximum " + maxRequestBytes + " (kafka_request_max_bytes)";
            LOG.warn("Closing Kafka connection from {}: {}{}", ctx.channel().remoteAddress(), why, guess(in));
            metrics.connectionRejected(size < 0 ? "negative size" : "request too large");
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        if (in.readableBytes() - 4 < size) {
            return;
        }
        in.skipBytes(4);
        out.add(in.readRetainedSlice(size));
    }

    /** A hint for the two usual non-Kafka clients on a Kafka port, so the log says what happened. */
    private static String guess(ByteBuf in) {
        int i = in.readerIndex();
        if (in.readableBytes() >= 3 && in.getByte(i) == 0x16 && in.getByte(i + 1) == 0x03) {
            return " (looks like a TLS handshake: is the client configured for SSL on a plaintext listener?)";
        }
        if (in.readableBytes() >= 4) {
            String start = in.toString(i, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (start.equals("GET ") || start.equals("POST") || start.equals("PUT ") || start.equals("HEAD")) {
                return " (looks like HTTP: is an HTTP client pointed at the Kafka port?)";
            }
        }
        return "";
    }
}
