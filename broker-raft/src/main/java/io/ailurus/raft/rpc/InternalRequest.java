package io.ailurus.raft.rpc;

import java.io.Serializable;

/**
 * A broker-to-broker request on the shared Raft RPC server: a kind (which handler) and opaque
 * bytes. A plain mutable class rather than a record because bolt serialises it with Hessian, which
 * instantiates through a no-argument constructor and sets fields.
 */
public final class InternalRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private String kind;
    private byte[] payload;

    /** For the serialiser. */
    public InternalRequest() {
    }

    public InternalRequest(String kind, byte[] payload) {
        this.kind = kind;
        this.payload = payload;
    }

    public String kind() {
        return kind;
    }

    public byte[] payload() {
        return payload;
    }
}
