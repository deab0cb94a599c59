package io.ailurus.protocol;

import io.ailurus.protocol.codec.ByteBufReadable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Readable;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Builds the error response of any API for a request, the way a Kafka broker does: every partition,
 * topic or group named in the request gets the error code of the exception
 * ({@code Errors.forException}), so clients see a well-formed answer they know how to retry.
 *
 * <p>Built on kafka-clients' {@code AbstractRequest.getErrorResponse}, which knows each API's shape. It
 * needs the {@code AbstractRequest} wrapper, which can only be made generically by parsing, so the body
 * is written and parsed again: a cost paid on the error path only.
 */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    /**
     * The error response body for {@code request}, e.g. {@code forRequest(req, new
     * NotLeaderOrFollowerException(".."))}; an exception that is not a Kafka {@code ApiException} maps to
     * UNKNOWN_SERVER_ERROR.
     *
     * @return the body, or null for a request that is never answered (Produce with acks=0: Kafka closes
     *         the connection instead, so the client refreshes its metadata)
     * @throws RuntimeException if kafka-clients cannot build an error response for this API
     */
    public static ApiMessage forRequest(KafkaRequest request, Throwable error) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer body = ByteBuffer.allocate(request.body().size(cache, request.apiVersion()));
        request.body().write(new ByteBufferAccessor(body), cache, request.apiVersion());
        body.flip();
        return forSerializedBody(request.apiKey(), request.apiVersion(), new ByteBufferAccessor(body), error);
    }

    /** The error response for a request body still in wire form ({@code body} is consumed); null as above. */
    public static ApiMessage forSerializedBody(ApiKeys api, short version, Readable body, Throwable error) {
        AbstractRequest parsed = AbstractRequest.parseRequest(api, version, body).request;
        AbstractResponse response = parsed.getErrorResponse(0, error);
        return response == null ? null : response.data();
    }

    /** As {@link #forSerializedBody(ApiKeys, short, Readable, Throwable)} over a Netty buffer. */
    public static ApiMessage forSerializedBody(ApiKeys api, short version, ByteBuf body, Throwable error) {
        return forSerializedBody(api, version, new ByteBufReadable(body), error);
    }

    /** As above over a NIO buffer (convenience for tests and tools). */
    static ApiMessage forSerializedBody(ApiKeys api, short version, ByteBuffer body, Throwable error) {
        return forSerializedBody(api, version, Unpooled.wrappedBuffer(body), error);
    }
}
