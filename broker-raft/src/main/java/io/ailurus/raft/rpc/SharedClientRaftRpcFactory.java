package io.ailurus.raft.rpc;

import com.alipay.remoting.CustomSerializerManager;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.impl.BoltRaftRpcFactory;
import com.alipay.sofa.jraft.util.Endpoint;
import com.alipay.sofa.jraft.util.SPI;

/**
 * jraft's bolt RPC factory, except that every client it hands out shares one bolt client (see
 * {@link SharedBoltClient}). jraft finds its RPC factory through its service loader and takes the
 * highest {@link SPI#priority()}: this one (listed in {@code META-INF/services}) outranks jraft's
 * own bolt factory (priority 0) whenever broker-raft is on the class path. Servers are unchanged.
 */
@SPI(priority = 100)
public class SharedClientRaftRpcFactory extends BoltRaftRpcFactory {

    @Override
    public RpcClient createRpcClient(ConfigHelper<RpcClient> helper) {
        return new SharedRpcClientHandle(() -> super.createRpcClient(helper));
    }

    /**
     * jraft registers its protobuf serializer with bolt for each of its message classes through this method (bolt
     * keeps the first registration of a class): {@code AppendEntriesRequest} gets the one that parses without
     * copying the entries' data ({@link AliasingAppendEntriesSerializer}).
     */
    @Override
    public void registerProtobufSerializer(String className, Object... args) {
        if (AliasingAppendEntriesSerializer.REQUEST_CLASS.equals(className)) {
            CustomSerializerManager.registerCustomSerializer(className, new AliasingAppendEntriesSerializer());
        } else {
            super.registerProtobufSerializer(className, args);
        }
    }

    /**
     * Closes the shared client's connection to {@code endpoint}, if there is a client. A host that
     * stops calls this after its server: a connection the shared client opened while the server was
     * stopping can be accepted but missed by bolt's server-side bookkeeping, and would then live on,
     * served by the stopped host's terminated executors ("server thread pool busy"), even after a new
     * host binds the same port in this JVM (tests, in-JVM clusters).
     */
    public static void closeConnectionsTo(Endpoint endpoint) {
        SharedBoltClient.closeConnection(endpoint);
    }
}
