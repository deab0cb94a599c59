package io.ailurus.raft.rpc;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import com.alipay.sofa.jraft.util.Endpoint;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;

/**
 * Broker-to-broker calls over the Raft RPC server every broker already runs (controller command
 * forwarding, heartbeats): one more bolt processor on the shared server and one shared client,
 * instead of a second listener and port. Handlers are registered by kind and answer with bytes;
 * what the bytes mean is the caller's business.
 */
public final class InternalRpc implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InternalRpc.class);

    private final Map<String, Function<byte[], CompletableFuture<byte[]>>> handlers = new ConcurrentHashMap<>();
    private final Executor executor;
    private volatile RpcClient client;
    private volatile boolean closed;

    /** @param executor runs the handlers (they should return quickly with a future) */
    public InternalRpc(Executor executor) {
        this.executor = executor;
    }

    /** The bolt processor to register on the RPC server. */
    public RpcProcessor<InternalRequest> processor() {
        return new RpcProcessor<>() {
            @Override
            public void handleRequest(RpcContext ctx, InternalRequest request) {
                Function<byte[], CompletableFuture<byte[]>> handler = handlers.get(request.kind());
                if (handler == null) {
                    ctx.sendResponse(InternalResponse.failed("no handler for '" + request.kind() + "' on this broker"));
                    return;
                }
                CompletableFuture<byte[]> answer;
                try {
                    answer = handler.apply(request.payload());
                } catch (RuntimeException e) {
                    answer = CompletableFuture.failedFuture(e);
                }
                answer.whenComplete((bytes, err) -> ctx.sendResponse(err == null ? InternalResponse.ok(bytes)
                        : InternalResponse.failed(rootMessage(err))));
            }

            @Override
            public String interest() {
                return InternalRequest.class.getName();
            }

            @Override
            public Executor executor() {
                return executor;
            }
        };
    }

    /** Registers (or replaces) the handler of {@code kind}. */
    public void register(String kind, Function<byte[], CompletableFuture<byte[]>> handler) {
        handlers.put(kind, handler);
    }

    /**
     * Calls {@code kind} on the broker at {@code target}.
     *
     * @return the remote handler's bytes; fails with {@link InternalRpcException}
     */
    public CompletableFuture<byte[]> call(Endpoint target, String kind, byte[] payload, long timeoutMs) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        try {
            client().invokeAsync(target, new InternalRequest(kind, payload), (response, err) -> {
                if (err != null) {
                    result.completeExceptionally(new InternalRpcException(kind + " to " + target + " failed: "
                            + rootMessage(err), err));
                } else if (response instanceof InternalResponse r && r.error() == null) {
                    result.complete(r.payload());
                } else if (response instanceof InternalResponse r) {
                    result.completeExceptionally(new InternalRpcException(kind + " at " + target + ": " + r.error()));
                } else {
                    result.completeExceptionally(new InternalRpcException(kind + " to " + target
                            + ": unexpected response " + response));
                }
            }, timeoutMs);
        } catch (Exception e) {
            result.completeExceptionally(new InternalRpcException(kind + " to " + target + " failed: "
                    + rootMessage(e), e));
        }
        return result;
    }

    private RpcClient client() {
        RpcClient c = client;
        if (c == null) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("internal RPC is closed");
                }
                c = client;
                if (c == null) {
                    c = RpcFactoryHelper.rpcFactory().createRpcClient();
                    c.init(new RpcOptions());
                    client = c;
                }
            }
        }
        return c;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public synchronized void close() {
        closed = true;
        RpcClient c = client;
        client = null;
        if (c != null) {
            try {
                c.shutdown();
            } catch (RuntimeException e) {
                LOG.warn("internal RPC client shutdown failed", e);
            }
        }
    }
}
