package io.ailurus.core.kafka.handlers;

import io.ailurus.core.kafka.RequestContext;
import java.net.InetSocketAddress;

/** The client host as Kafka reports it in group descriptions: "/" and the IP address. */
final class ClientHost {
    private ClientHost() {}

    static String of(RequestContext ctx) {
        if (ctx.clientAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            return "/" + a.getAddress().getHostAddress();
        }
        return ctx.clientAddress() == null ? "" : ctx.clientAddress().toString();
    }
}
