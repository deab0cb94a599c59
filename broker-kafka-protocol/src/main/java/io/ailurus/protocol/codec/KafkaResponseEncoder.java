package io.ailurus.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FileRegion;
import java.util.List;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * Turns a response into the Netty messages of one frame: int32 size, response header (v0, or v1 with
 * tagged fields for flexible versions, as {@code ApiKeys.responseHeaderVersion} says; ApiVersions always
 * v0), then the body written by its generated class. Record bytes are passed by reference (see
 * {@link ResponseFrameWriter}).
 */
public final class KafkaResponseEncoder {
    /** Encodes responses; stateless. */
    public KafkaResponseEncoder() {
    }

    /**
     * The frame's parts in send order; the caller owns them. On failure nothing is leaked: parts made so
     * far are released, and so are the body's record slices.
     *
     * @throws RuntimeException if the body cannot be written at that version (e.g. a field the version
     *                          lacks was set) or is not a response of {@code response.api()}
     */
    public List<Object> encode(ByteBufAllocator alloc, OutboundResponse response) {
        ApiMessage body = response.body();
        ResponseFrameWriter writer = null;
        try {
            if (body.apiKey() != response.api().id) {
                throw new IllegalArgumentException("a " + body.getClass().getSimpleName()
                        + " cannot answer a " + response.api().name + " request");
            }
            short headerVersion = response.api().responseHeaderVersion(response.version());
            ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(response.correlationId());
            ObjectSerializationCache cache = new ObjectSerializationCache();
            int headerSize = header.size(cache, headerVersion);
            int bodySize = body.size(cache, response.version());
            int frameSize = headerSize + bodySize;
            long referenced = ResponseRecords.referencedBytes(body);
            writer = new ResponseFrameWriter(alloc, (int) Math.max(64, 4L + frameSize - referenced));
            writer.writeInt(frameSize);
            header.write(writer, cache, headerVersion);
            body.write(writer, cache, response.version());
            List<Object> parts = writer.finish();
            long written = bytesOf(parts);
            if (written != 4L + frameSize) {
                // A wrong size prefix would desynchronise the client's stream: never send it.
                writer = null;
                releaseAll(parts);
                throw new IllegalStateException("encoded " + written + " bytes for a frame of " + (4L + frameSize));
            }
            return parts;
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.discard();
            }
            ResponseRecords.release(body);
            throw e;
        }
    }

    /** Total bytes of encoded parts (buffers and file regions). */
    public static long bytesOf(List<Object> parts) {
        long n = 0;
        for (Object p : parts) {
            n += p instanceof ByteBuf b ? b.readableBytes() : ((FileRegion) p).count();
        }
        return n;
    }

    private static void releaseAll(List<Object> parts) {
        for (Object p : parts) {
            io.netty.util.ReferenceCountUtil.safeRelease(p);
        }
    }
}
