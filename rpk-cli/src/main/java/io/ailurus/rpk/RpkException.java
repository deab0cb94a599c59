package io.ailurus.rpk;

/** An error for the operator: printed as {@code error: <message>} and the command exits with 1. */
public final class RpkException extends RuntimeException {
    public RpkException(String message) {
        super(message);
    }

    public RpkException(String message, Throwable cause) {
        super(message, cause);
    }
}
