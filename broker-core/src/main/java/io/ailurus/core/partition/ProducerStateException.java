package io.ailurus.core.partition;

/** A batch the idempotence rules reject; {@link #reason()} maps onto the Kafka error code. */
public final class ProducerStateException extends RuntimeException {
    public enum Reason { OUT_OF_ORDER_SEQUENCE, INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE, COORDINATOR_FENCED }

    private final Reason reason;

    public ProducerStateException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
