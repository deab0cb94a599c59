package io.ailurus.protocol;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Accounting hooks of the protocol layer (broker-core backs them with micrometer). Called on the
 * connection's event loop: implementations must be cheap and must not block.
 */
public interface ProtocolMetrics {
    /** Does nothing. */
    ProtocolMetrics NONE = new ProtocolMetrics() { };

    /** A request was decoded; {@code bytes} is the frame size including its 4-byte size prefix. */
    default void requestReceived(ApiKeys api, short version, int bytes) {
    }

    /**
     * A response was handed to the socket; {@code bytes} includes the size prefix, {@code latencyNanos}
     * is from the request's arrival.
     */
    default void responseSent(ApiKeys api, short version, int bytes, long latencyNanos) {
    }

    /** A connection was closed because of what the client sent ({@code reason} is the short cause). */
    default void connectionRejected(String reason) {
    }
}
