package io.ailurus.core.partition;

import org.apache.kafka.common.protocol.Errors;

/** A partition operation refused with a specific Kafka error code and a message for the client/log. */
public final class PartitionException extends RuntimeException {
    private final Errors error;

    public PartitionException(Errors error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public PartitionException(Errors error, String message, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
    }

    public Errors error() {
        return error;
    }

    /** The Kafka error for any failure: ours carry one; anything else is a storage failure. */
    public static Errors errorOf(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof PartitionException p) {
            return p.error();
        }
        return Errors.KAFKA_STORAGE_ERROR;
    }
}
