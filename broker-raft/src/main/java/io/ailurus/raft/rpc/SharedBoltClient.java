package io.ailurus.raft.rpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alipay.remoting.Connection;
import com.alipay.remoting.ConnectionEventProcessor;
import com.alipay.remoting.ConnectionEventType;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcClient;

/**
 * The one bolt RPC client of this process, reference-counted: created when the first jraft node
 * (or {@link InternalRpc}) asks for a client, shut down when the last one lets go.
 *
 * <p>jraft builds a client inside every node, and each bolt client brings its own threads (a
 * task scanner, a connection healer, a connection-event executor) and its own TCP connection to
 * every peer: about four threads per group replica, for nothing, since all groups of a broker
 * talk to the same few peers. Shared, every group's Raft traffic to a peer goes over one
 * connection (requests carry their group id; responses are matched by request id).
 *
 * <p>Bolt's connection listeners cannot be removed, so one listener is registered on the shared
 * client and fans each connect event out to the processors of the nodes still holding it.
 */
final class SharedBoltClient {

    private static final Logger LOG = LoggerFactory.getLogger(SharedBoltClient.class);
    private static final Object LOCK = new Object();

    private static RpcClient client;
    private static int references;
    private static int created;
    /** One per {@code registerConnectEventListener} of a handle still open. */
    private static final List<ConnectionEventProcessor> CONNECT_LISTENERS = new CopyOnWriteArrayList<>();

    private SharedBoltClient() {
    }

    /**
     * Takes a reference to the shared client, creating and starting it with {@code options} if no
     * one holds it (later callers' options are ignored: all of a broker's nodes use the same).
     */
    static RpcClient acquire(RpcOptions options, Supplier<RpcClient> factory) {
        synchronized (LOCK) {
            if (client == null) {
                RpcClient fresh = factory.get();
                if (!fresh.init(options)) {
                    throw new IllegalStateException("the shared Raft RPC client failed to start");
                }
                if (fresh instanceof BoltRpcClient bolt) {
                    bolt.getRpcClient().addConnectionEventProcessor(ConnectionEventType.CONNECT, SharedBoltClient::fanOut);
                }
                client = fresh;
                created++;
                LOG.debug("shared Raft RPC client started");
            }
            references++;
            return client;
        }
    }

    /** Gives a reference back; the last one shuts the client down. */
    static void release() {
        RpcClient toStop = null;
        synchronized (LOCK) {
            if (references == 0) {
                return;
            }
            if (--references == 0) {
                toStop = client;
                client = null;
            }
        }
        if (toStop != null) {
            toStop.shutdown();
            LOG.debug("shared Raft RPC client stopped");
        }
    }

    /** Closes the shared client's connection to {@code endpoint}; no-op when no one holds a client. */
    static void closeConnection(com.alipay.sofa.jraft.util.Endpoint endpoint) {
        RpcClient c;
        synchronized (LOCK) {
            c = client;
        }
        if (c != null) {
            c.closeConnection(endpoint);
        }
    }

    static void addConnectListener(ConnectionEventProcessor listener) {
        CONNECT_LISTENERS.add(listener);
    }

    static void removeConnectListener(ConnectionEventProcessor listener) {
        CONNECT_LISTENERS.remove(listener);
    }

    /** Holders right now (tests). */
    static int references() {
        synchronized (LOCK) {
            return references;
        }
    }

    /** Bolt clients started so far in this process (tests: one per period of use, not per node). */
    static int clientsCreated() {
        synchronized (LOCK) {
            return created;
        }
    }

    /** Connect listeners of open handles (tests). */
    static int connectListeners() {
        return CONNECT_LISTENERS.size();
    }

    private static void fanOut(String remoteAddress, Connection connection) {
        for (ConnectionEventProcessor listener : CONNECT_LISTENERS) {
            try {
                listener.onEvent(remoteAddress, connection);
            } catch (RuntimeException e) {
                LOG.warn("connect listener failed for {}", remoteAddress, e);
            }
        }
    }
}
