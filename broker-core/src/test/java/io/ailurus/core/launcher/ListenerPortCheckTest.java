package io.ailurus.core.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ailurus.core.config.BrokerConfig;
import io.ailurus.core.config.ConfigException;
import io.ailurus.core.config.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ports taken by another process are reported before start-up, naming the listener and the flag. */
class ListenerPortCheckTest {
    @TempDir
    Path data;

    private BrokerConfig.Builder config() {
        return BrokerConfig.builder().dataDirectory(data)
                .kafkaApi(new HostPort("127.0.0.1", 0)).admin(new HostPort("127.0.0.1", 0)).rpcServer(new HostPort("127.0.0.1", 0));
    }

    private static ServerSocket occupy() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @Test
    void freeEphemeralPortsPass() {
        ListenerPortCheck.requireFree(config().build());
    }

    @Test
    void kafkaPortInUse() throws IOException {
        try (ServerSocket taken = occupy()) {
            int port = taken.getLocalPort();
            BrokerConfig c = config().kafkaApi(new HostPort("127.0.0.1", port)).build();
            ConfigException e = assertThrows(ConfigException.class, () -> ListenerPortCheck.requireFree(c));
            assertEquals("kafka_api listener 'internal' 127.0.0.1:" + port + ": port " + port + " is already in use (--kafka-addr);"
                    + " stop the process holding it or choose another port", e.getMessage());
        }
    }

    @Test
    void adminAndRpcPortsInUse() throws IOException {
        try (ServerSocket taken = occupy()) {
            int port = taken.getLocalPort();
            ConfigException admin = assertThrows(ConfigException.class,
                    () -> ListenerPortCheck.requireFree(config().admin(new HostPort("127.0.0.1", port)).build()));
            assertEquals("admin listener 'admin' 127.0.0.1:" + port + ": port " + port + " is already in use (--admin-addr);"
                    + " stop the process holding it or choose another port", admin.getMessage());
            ConfigException rpc = assertThrows(ConfigException.class,
                    () -> ListenerPortCheck.requireFree(config().rpcServer(new HostPort("127.0.0.1", port)).build()));
            assertEquals("rpc_server 127.0.0.1:" + port + ": port " + port + " is already in use (--rpc-addr);"
                    + " stop the process holding it or choose another port", rpc.getMessage());
        }
    }

    @Test
    void twoListenersOnOnePortClash() {
        BrokerConfig c = config().kafkaApi(new HostPort("0.0.0.0", 40123)).admin(new HostPort("127.0.0.1", 40123)).build();
        ConfigException e = assertThrows(ConfigException.class, () -> ListenerPortCheck.requireFree(c));
        assertEquals("admin listener 'admin' 127.0.0.1:40123 (--admin-addr) uses the same port as kafka_api listener 'internal'"
                + " 0.0.0.0:40123 (--kafka-addr); expected a different port for each listener", e.getMessage());
    }

    @Test
    void addressNotOnThisMachine() {
        // 192.0.2.0/24 is TEST-NET-1: documentation only, never assigned to a host.
        BrokerConfig c = config().kafkaApi(new HostPort("192.0.2.1", 0)).build();
        ConfigException e = assertThrows(ConfigException.class, () -> ListenerPortCheck.requireFree(c));
        assertEquals("kafka_api listener 'internal' 192.0.2.1:0: address 192.0.2.1 is not an address of this machine"
                + " (--kafka-addr); expected a local IP, a local host name or 0.0.0.0", e.getMessage());
    }
}
