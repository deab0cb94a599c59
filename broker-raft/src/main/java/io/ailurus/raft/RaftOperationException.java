package io.ailurus.raft;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;

/**
 * A jraft operation failed with a status other than "not the leader" (for that, see
 * {@link io.ailurus.raft.partition.NotLeaderException}). Carries jraft's error code so callers
 * can map it (e.g. {@code EBUSY} to a retriable Kafka error).
 */
public final class RaftOperationException extends RuntimeException {

    private final RaftError error;

    /** @param status the failed jraft status */
    public RaftOperationException(Status status) {
        super(status.getRaftError() + ": " + status.getErrorMsg());
        this.error = status.getRaftError();
    }

    /**
     * @param error   jraft's error code
     * @param message what failed
     */
    public RaftOperationException(RaftError error, String message) {
        super(error + ": " + message);
        this.error = error;
    }

    /** jraft's error code. */
    public RaftError error() {
        return error;
    }
}
