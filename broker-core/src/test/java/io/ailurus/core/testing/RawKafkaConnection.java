package io.ailurus.core.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * A plain blocking socket speaking the Kafka framing by hand, so tests can send what no client
 * library would: arbitrary bytes, oversized or truncated frames, unknown API keys, corrupted records.
 */
public final class RawKafkaConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private int nextCorrelationId = 1;

    public RawKafkaConnection(String host, int port, Duration readTimeout) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends {@code payload} behind a correct 4-byte size prefix. */
    public void sendFrame(byte[] payload) throws IOException {
        sendRaw(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array());
    }

    /** Serializes a request header and body at {@code version}; returns the bytes without size prefix. */
    public byte[] encode(ApiKeys api, short version, ApiMessage body) {
        RequestHeaderData header = new RequestHeaderData()
            .setRequestApiKey(api.id).setRequestApiVersion(version)
            .setCorrelationId(nextCorrelationId++).setClientId("raw-test");
        short headerVersion = api.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buf = ByteBuffer.allocate(size);
        ByteBufferAccessor w = new ByteBufferAccessor(buf);
        header.write(w, cache, headerVersion);
        body.write(w, cache, version);
        return buf.array();
    }

    /** Reads one response frame and returns its body, positioned after the response header. */
    public ByteBuffer receive(ApiKeys api, short version) throws IOException {
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        ByteBuffer buf = ByteBuffer.wrap(frame);
        new ResponseHeaderData(new ByteBufferAccessor(buf), api.responseHeaderVersion(version));
        return buf;
    }

    /**
     * Whether the peer closed the connection within the read timeout: true on end-of-stream or a
     * reset, false when the timeout passed with the connection still open. Bytes that arrive are
     * skipped.
     */
    public boolean closedByPeer() throws IOException {
        try {
            while (in.read() >= 0) {
                // skip whatever a response carried
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
