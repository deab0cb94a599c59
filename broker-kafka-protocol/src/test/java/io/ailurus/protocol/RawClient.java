package io.ailurus.protocol;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * A blocking Kafka client over a plain socket that encodes with kafka-clients' own serializer (an
 * implementation independent of the broker's), for tests that need exact bytes or malformed input.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000); // bounds every read; a test that hangs fails instead
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends one request of {@code body}'s API at {@code version}. */
    void send(ApiMessage body, short version, int correlationId) throws IOException {
        ApiKeys api = ApiKeys.forId(body.apiKey());
        sendRaw(frame(api, version, correlationId, body));
    }

    /** The full frame (size prefix included) of a request, as kafka-clients encodes it. */
    static byte[] frame(ApiKeys api, short version, int correlationId, ApiMessage body) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId("raw-test");
        return frame(header, api.requestHeaderVersion(version), body, version);
    }

    /** Size prefix + header + body encoded by kafka-clients' {@link ByteBufferAccessor}. */
    static byte[] frame(Message header, short headerVersion, Message body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + (body == null ? 0 : body.size(cache, version));
        ByteBuffer buf = ByteBuffer.allocate(4 + size);
        ByteBufferAccessor w = new ByteBufferAccessor(buf);
        w.writeInt(size);
        header.write(w, cache, headerVersion);
        if (body != null) {
            body.write(w, cache, version);
        }
        return buf.array();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One response frame without its size prefix. */
    byte[] readFrame() throws IOException {
        int size = in.readInt();
        byte[] payload = new byte[size];
        in.readFully(payload);
        return payload;
    }

    /** One response frame including its size prefix (for byte-exact comparisons). */
    byte[] readFrameWithPrefix() throws IOException {
        byte[] payload = readFrame();
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    /** Reads a response and parses its header and body (of {@code api}) at {@code version}. */
    <T extends ApiMessage> Parsed<T> readResponse(ApiKeys api, short version) throws IOException {
        ByteBufferAccessor r = new ByteBufferAccessor(ByteBuffer.wrap(readFrame()));
        ResponseHeaderData header = new ResponseHeaderData(r, api.responseHeaderVersion(version));
        @SuppressWarnings("unchecked")
        T body = (T) api.messageType.newResponse();
        body.read(r, version);
        return new Parsed<>(header.correlationId(), body, r.remaining());
    }

    /** Sends a request and reads its response. */
    <T extends ApiMessage> T roundTrip(ApiMessage request, short version, int correlationId) throws IOException {
        send(request, version, correlationId);
        Parsed<T> p = readResponse(ApiKeys.forId(request.apiKey()), version);
        if (p.correlationId() != correlationId) {
            throw new IllegalStateException("correlation id " + p.correlationId() + ", expected " + correlationId);
        }
        return p.body();
    }

    /**
     * Whether the server closed the connection: true on EOF or reset, false if a byte arrives (the read
     * timeout bounds the wait; a timeout also counts as "not closed").
     */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Parsed<T>(int correlationId, T body, int trailingBytes) {
    }
}
