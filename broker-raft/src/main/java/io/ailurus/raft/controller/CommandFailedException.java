package io.ailurus.raft.controller;

/**
 * A controller command could not be encoded, or the model threw while applying it. The command
 * may be in the log (it was committed) but changed nothing, provided the model honours its
 * contract of leaving its state unchanged when it throws.
 */
public final class CommandFailedException extends RuntimeException {

    /**
     * @param message what failed
     * @param cause   the model's or encoder's exception
     */
    public CommandFailedException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
