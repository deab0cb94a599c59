package io.ailurus.raft.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.alipay.remoting.ConnectionEventProcessor;
import com.alipay.sofa.jraft.ReplicatorGroup;
import com.alipay.sofa.jraft.error.RemotingException;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.InvokeCallback;
import com.alipay.sofa.jraft.rpc.InvokeContext;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.impl.core.ClientServiceConnectionEventProcessor;
import com.alipay.sofa.jraft.util.Endpoint;

/**
 * What one jraft node (or {@link InternalRpc}) gets when it asks for an RPC client: a handle on
 * the {@link SharedBoltClient}. {@link #init} takes a reference, {@link #shutdown} gives it back
 * and forgets this node's connect listener; calls go to the shared client.
 *
 * <p>{@link #closeConnection} closes the shared connection to that peer for every group (jraft
 * itself never calls it; the next call reconnects).
 */
final class SharedRpcClientHandle implements RpcClient {

    private final Supplier<RpcClient> factory;
    private final List<ConnectionEventProcessor> listeners = new ArrayList<>();
    private volatile RpcClient shared;

    SharedRpcClientHandle(Supplier<RpcClient> factory) {
        this.factory = factory;
    }

    @Override
    public synchronized boolean init(RpcOptions options) {
        if (shared == null) {
            shared = SharedBoltClient.acquire(options, factory);
        }
        return true;
    }

    @Override
    public void shutdown() {
        boolean held;
        synchronized (this) {
            listeners.forEach(SharedBoltClient::removeConnectListener);
            listeners.clear();
            held = shared != null;
            shared = null;
        }
        if (held) {
            SharedBoltClient.release();
        }
    }

    @Override
    public boolean checkConnection(Endpoint endpoint) {
        return client().checkConnection(endpoint);
    }

    @Override
    public boolean checkConnection(Endpoint endpoint, boolean createIfAbsent) {
        return client().checkConnection(endpoint, createIfAbsent);
    }

    @Override
    public void closeConnection(Endpoint endpoint) {
        client().closeConnection(endpoint);
    }

    @Override
    public synchronized void registerConnectEventListener(ReplicatorGroup replicatorGroup) {
        // jraft registers before init (AbstractClientService#configRpcClient); the listener list
        // does not need the client.
        ConnectionEventProcessor listener = new ClientServiceConnectionEventProcessor(replicatorGroup);
        listeners.add(listener);
        SharedBoltClient.addConnectListener(listener);
    }

    @Override
    public Object invokeSync(Endpoint endpoint, Object request, InvokeContext ctx, long timeoutMs)
            throws InterruptedException, RemotingException {
        return client().invokeSync(endpoint, request, ctx, timeoutMs);
    }

    @Override
    public void invokeAsync(Endpoint endpoint, Object request, InvokeContext ctx, InvokeCallback callback,
            long timeoutMs) throws InterruptedException, RemotingException {
        client().invokeAsync(endpoint, request, ctx, callback, timeoutMs);
    }

    private RpcClient client() {
        RpcClient c = shared;
        if (c == null) {
            throw new IllegalStateException("Raft RPC client is not started or already shut down");
        }
        return c;
    }
}
