package io.ailurus.raft.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.alipay.sofa.jraft.util.Endpoint;

import io.ailurus.raft.RaftHostConfig;
import io.ailurus.raft.RaftNodeHost;

/** Two Raft hosts on loopback call each other's handlers over the shared RPC server. */
class InternalRpcTest {

    @Test
    void aHandlerOnOneHostAnswersACallFromAnother() throws Exception {
        try (RaftNodeHost a = RaftNodeHost.start("127.0.0.1", 0, RaftHostConfig.defaults());
             RaftNodeHost b = RaftNodeHost.start("127.0.0.1", 0, RaftHostConfig.defaults())) {
            b.internalRpc().register("echo", bytes -> CompletableFuture.completedFuture(
                    ("echo:" + new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
            b.internalRpc().register("fail", bytes -> CompletableFuture.failedFuture(new IllegalStateException("nope")));

            byte[] answer = a.internalRpc().call(b.endpoint(), "echo", "hi".getBytes(StandardCharsets.UTF_8), 5000)
                    .get(10, TimeUnit.SECONDS);
            assertArrayEquals("echo:hi".getBytes(StandardCharsets.UTF_8), answer);

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> a.internalRpc().call(b.endpoint(), "fail", new byte[0], 5000).get(10, TimeUnit.SECONDS));
            assertInstanceOf(InternalRpcException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("nope"), failed.getCause().getMessage());

            ExecutionException unknown = assertThrows(ExecutionException.class,
                    () -> a.internalRpc().call(b.endpoint(), "missing", new byte[0], 5000).get(10, TimeUnit.SECONDS));
            assertTrue(unknown.getCause().getMessage().contains("no handler for 'missing'"), unknown.getCause().getMessage());
        }
    }

    @Test
    void anUnreachablePeerFailsTheCallInsteadOfHanging() throws Exception {
        try (RaftNodeHost a = RaftNodeHost.start("127.0.0.1", 0, RaftHostConfig.defaults())) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> a.internalRpc()
                    .call(new Endpoint("127.0.0.1", 1), "echo", new byte[0], 2000).get(30, TimeUnit.SECONDS));
            assertInstanceOf(InternalRpcException.class, failed.getCause());
        }
    }
}
