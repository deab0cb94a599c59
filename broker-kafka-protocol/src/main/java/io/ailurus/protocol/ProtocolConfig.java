package io.ailurus.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the Kafka protocol layer for one listener.
 *
 * @param maxRequestBytes                  largest request frame accepted (Redpanda's
 *                                         {@code kafka_request_max_bytes}); a bigger size prefix closes
 *                                         the connection
 * @param maxInflightRequestsPerConnection requests of one connection dispatched but not yet answered;
 *                                         beyond it the connection stops being read until some drain
 * @param connectionIdleTimeout            a connection with no traffic in either direction and no request
 *                                         in flight for this long is closed (Kafka's
 *                                         {@code connections.max.idle.ms}); also what cleans up a client
 *                                         that sent half a frame; zero disables it
 * @param metrics                          receives request/response size and latency accounting
 */
public record ProtocolConfig(int maxRequestBytes, int maxInflightRequestsPerConnection,
                             Duration connectionIdleTimeout, ProtocolMetrics metrics) {
    /** 100 MiB, as Redpanda's {@code kafka_request_max_bytes}. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;
    /** Enough for a client's 5 in-flight produces plus pipelined fetches and heartbeats, many times over. */
    public static final int DEFAULT_MAX_INFLIGHT = 100;
    /** Kafka's {@code connections.max.idle.ms} default. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

    public ProtocolConfig {
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("maxRequestBytes must be positive: " + maxRequestBytes);
        }
        if (maxInflightRequestsPerConnection <= 0) {
            throw new IllegalArgumentException(
                    "maxInflightRequestsPerConnection must be positive: " + maxInflightRequestsPerConnection);
        }
        Objects.requireNonNull(connectionIdleTimeout, "connectionIdleTimeout");
        if (connectionIdleTimeout.isNegative()) {
            throw new IllegalArgumentException("negative connectionIdleTimeout " + connectionIdleTimeout);
        }
        Objects.requireNonNull(metrics, "metrics");
    }

    /** The defaults above, with no metrics. */
    public static ProtocolConfig defaults() {
        return new ProtocolConfig(DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_INFLIGHT, DEFAULT_IDLE_TIMEOUT,
                ProtocolMetrics.NONE);
    }

    /** A copy with another maximum request size. */
    public ProtocolConfig withMaxRequestBytes(int bytes) {
        return new ProtocolConfig(bytes, maxInflightRequestsPerConnection, connectionIdleTimeout, metrics);
    }

    /** A copy with another in-flight limit. */
    public ProtocolConfig withMaxInflightRequestsPerConnection(int n) {
        return new ProtocolConfig(maxRequestBytes, n, connectionIdleTimeout, metrics);
    }

    /** A copy with another idle timeout. */
    public ProtocolConfig withConnectionIdleTimeout(Duration timeout) {
        return new ProtocolConfig(maxRequestBytes, maxInflightRequestsPerConnection, timeout, metrics);
    }

    /** A copy reporting to {@code m}. */
    public ProtocolConfig withMetrics(ProtocolMetrics m) {
        return new ProtocolConfig(maxRequestBytes, maxInflightRequestsPerConnection, connectionIdleTimeout, m);
    }
}
