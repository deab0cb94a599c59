package io.ailurus.raft.rpc;

import java.io.Serializable;

/**
 * The answer to an {@link InternalRequest}: the handler's bytes, or an error message when the
 * handler failed or no handler knows the kind. Mutable for Hessian, like the request.
 */
public final class InternalResponse implements Serializable {
    private static final long serialVersionUID = 1L;

    private byte[] payload;
    private String error;

    /** For the serialiser. */
    public InternalResponse() {
    }

    static InternalResponse ok(byte[] payload) {
        InternalResponse r = new InternalResponse();
        r.payload = payload;
        return r;
    }

    static InternalResponse failed(String error) {
        InternalResponse r = new InternalResponse();
        r.error = error == null ? "unknown error" : error;
        return r;
    }

    public byte[] payload() {
        return payload;
    }

    /** Null on success. */
    public String error() {
        return error;
    }
}
