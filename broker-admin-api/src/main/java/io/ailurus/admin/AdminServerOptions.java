package io.ailurus.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * How the admin server listens.
 *
 * @param host address to bind ({@code 0.0.0.0} for all)
 * @param port port to bind; 0 picks a free one (tests)
 * @param maxRequestBodyBytes larger request bodies get 413
 * @param handlerThreads threads running route handlers (backends may block, so not the event loop)
 * @param idleTimeout a connection with no request in flight and no traffic for this long is closed
 */
public record AdminServerOptions(String host, int port, int maxRequestBodyBytes, int handlerThreads,
                                 Duration idleTimeout) {

    public static final int DEFAULT_PORT = 9644;
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

    public AdminServerOptions {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxRequestBodyBytes < 1) {
            throw new IllegalArgumentException("maxRequestBodyBytes must be positive: " + maxRequestBodyBytes);
        }
        if (handlerThreads < 1) {
            throw new IllegalArgumentException("handlerThreads must be positive: " + handlerThreads);
        }
        if (idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("idleTimeout must be at least 1 ms: " + idleTimeout);
        }
    }

    /** {@code host:port}, 1 MiB bodies, 2 handler threads, 120 s idle timeout. */
    public static AdminServerOptions of(String host, int port) {
        return new AdminServerOptions(host, port, DEFAULT_MAX_BODY_BYTES, 2, DEFAULT_IDLE_TIMEOUT);
    }

    public AdminServerOptions withMaxRequestBodyBytes(int bytes) {
        return new AdminServerOptions(host, port, bytes, handlerThreads, idleTimeout);
    }

    public AdminServerOptions withIdleTimeout(Duration timeout) {
        return new AdminServerOptions(host, port, maxRequestBodyBytes, handlerThreads, timeout);
    }
}
