package io.ailurus.raft.rpc;

/** An internal RPC failed: unreachable peer, timeout, or the remote handler's error (retriable by the caller). */
public final class InternalRpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InternalRpcException(String message) {
        super(message);
    }

    public InternalRpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
