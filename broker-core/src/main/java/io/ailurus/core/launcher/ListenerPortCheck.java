package io.ailurus.core.launcher;

import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.ConfigException;
import io.ailurus.core.config.HostPort;
import io.ailurus.core.config.Listener;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Before start-up, binds each listen address once and lets it go, so that "port in use" is a
 * one-line error naming the listener and flag instead of a stack trace from deep in the network
 * layer after half the broker has started. There is a window between this check and the real bind;
 * it catches the common case (another broker still running), not a race.
 */
public final class ListenerPortCheck {

    /** One address the broker will listen on, with the words an operator needs to fix it. */
    record Endpoint(String description, String flag, HostPort address) {
        @Override
        public String toString() {
            return description + " " + address;
        }
    }

    private ListenerPortCheck() {}

    /**
     * @throws ConfigException if two listeners share a port, a host does not resolve, or a port is taken
     */
    public static void requireFree(BrokerConfig config) {
        List<Endpoint> endpoints = endpoints(config);
        for (int i = 0; i < endpoints.size(); i++) {
            for (int j = i + 1; j < endpoints.size(); j++) {
                Endpoint a = endpoints.get(i);
                Endpoint b = endpoints.get(j);
                if (overlap(a.address(), b.address())) {
                    throw new ConfigException(b + " (" + b.flag() + ") uses the same port as " + a + " (" + a.flag()
                            + "); expected a different port for each listener");
                }
            }
        }
        for (Endpoint e : endpoints) {
            tryBind(e);
        }
    }

    static List<Endpoint> endpoints(BrokerConfig config) {
        List<Endpoint> out = new ArrayList<>();
        for (Listener l : config.kafkaApi()) {
            out.add(new Endpoint("kafka_api listener '" + l.name() + "'", "--kafka-addr", l.address()));
        }
        for (Listener l : config.admin()) {
            out.add(new Endpoint("admin listener '" + l.name() + "'", "--admin-addr", l.address()));
        }
        out.add(new Endpoint("rpc_server", "--rpc-addr", config.rpcServer()));
        return out;
    }

    private static boolean overlap(HostPort a, HostPort b) {
        return a.port() != 0 && a.port() == b.port()
                && (a.host().equalsIgnoreCase(b.host()) || a.isWildcard() || b.isWildcard());
    }

    private static void tryBind(Endpoint e) {
        InetAddress host;
        try {
            host = InetAddress.getByName(e.address().host());
        } catch (UnknownHostException ex) {
            throw new ConfigException(e.description() + ": cannot resolve host '" + e.address().host() + "' ("
                    + e.flag() + "); expected a host name or IP address of this machine");
        }
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            // The real listener sets SO_REUSEADDR too, so a port in TIME_WAIT is not reported as taken.
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(host, e.address().port()));
        } catch (BindException ex) {
            String msg = String.valueOf(ex.getMessage());
            if (msg.contains("in use")) {
                throw new ConfigException(e + ": port " + e.address().port() + " is already in use ("
                        + e.flag() + "); stop the process holding it or choose another port");
            }
            if (msg.contains("assign")) {
                throw new ConfigException(e + ": address " + e.address().host() + " is not an address of this machine ("
                        + e.flag() + "); expected a local IP, a local host name or 0.0.0.0");
            }
            throw new ConfigException(e + ": cannot listen (" + msg + ") (" + e.flag() + ")");
        } catch (IOException ex) {
            throw new ConfigException(e + ": cannot listen (" + ex.getMessage() + ") (" + e.flag() + ")");
        }
    }
}
