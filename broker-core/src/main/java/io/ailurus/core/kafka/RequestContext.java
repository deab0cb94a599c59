package io.ailurus.core.kafka;

import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;

/**
 * Who asked, how, and on which event loop the answer is gathered: what a handler may need beside
 * the request body.
 */
public record RequestContext(short apiVersion, int correlationId, String clientId, SocketAddress clientAddress,
                             EventExecutor connectionLoop, long receivedNanos) {}
