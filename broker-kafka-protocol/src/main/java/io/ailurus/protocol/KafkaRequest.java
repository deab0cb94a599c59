package io.ailurus.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * One decoded request, as handed to the {@link RequestDispatcher}.
 *
 * <p>Lifetime: the body's records (a Produce request's {@code MemoryRecords}) are a view of the network
 * buffer the request arrived in, not a copy. They are valid until the handler's future completes;
 * a handler that needs the bytes after that (it should not: append, then complete) copies them.
 */
public final class KafkaRequest {
    private final RequestHeaderData header;
    private final ApiKeys apiKey;
    private final ApiMessage body;
    private final ChannelHandlerContext context;
    private final long arrivalNanos;
    private final int sizeInBytes;
    private final ByteBuf frame;
    private final AtomicBoolean released = new AtomicBoolean();

    /**
     * @param header       the parsed request header
     * @param apiKey       the API (matches {@code header.requestApiKey()})
     * @param body         the parsed body, of the {@code *RequestData} class of {@code apiKey}
     * @param context      the pipeline context of the connection it came from
     * @param arrivalNanos {@link System#nanoTime()} when the whole frame had arrived
     * @param sizeInBytes  the frame size including the 4-byte size prefix
     * @param frame        the buffer the body's records view (released by {@link #release()}); may be null
     */
    public KafkaRequest(RequestHeaderData header, ApiKeys apiKey, ApiMessage body, ChannelHandlerContext context,
                        long arrivalNanos, int sizeInBytes, ByteBuf frame) {
        this.header = header;
        this.apiKey = apiKey;
        this.body = body;
        this.context = context;
        this.arrivalNanos = arrivalNanos;
        this.sizeInBytes = sizeInBytes;
        this.frame = frame;
    }

    /** The request header (api key, version, correlation id, client id, tagged fields). */
    public RequestHeaderData header() {
        return header;
    }

    /** The API this request is for. */
    public ApiKeys apiKey() {
        return apiKey;
    }

    /** The request's version of its API; the response is written at the same version. */
    public short apiVersion() {
        return header.requestApiVersion();
    }

    /** The client's correlation id, echoed in the response header. */
    public int correlationId() {
        return header.correlationId();
    }

    /** The client id; never null (a null client id on the wire is read as ""). */
    public String clientId() {
        return header.clientId() == null ? "" : header.clientId();
    }

    /** The body as the generic message type. */
    public ApiMessage body() {
        return body;
    }

    /** The body as its concrete {@code *RequestData} class, e.g. {@code body(FetchRequestData.class)}. */
    public <T extends ApiMessage> T body(Class<T> type) {
        return type.cast(body);
    }

    /** The connection's pipeline context (its channel, event loop and allocator). */
    public ChannelHandlerContext context() {
        return context;
    }

    /** The client's address (null for a request built outside a pipeline, e.g. in a unit test). */
    public SocketAddress remoteAddress() {
        return context == null ? null : context.channel().remoteAddress();
    }

    /** {@link System#nanoTime()} at arrival, for latency and request timeouts. */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** The request's size on the wire, including the 4-byte size prefix. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** Whether the client expects no response (only a Produce request with {@code acks=0}). */
    public boolean expectsNoResponse() {
        return apiKey == ApiKeys.PRODUCE && ((ProduceRequestData) body).acks() == 0;
    }

    /** Gives back the network buffer the records view; the pipeline calls it when the handler is done. */
    public void release() {
        if (frame != null && released.compareAndSet(false, true)) {
            frame.release();
        }
    }

    @Override
    public String toString() {
        return apiKey.name + " v" + apiVersion() + " correlationId=" + correlationId() + " clientId=" + clientId()
                + " from " + remoteAddress();
    }
}
