package io.ailurus.raft.controller;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The in-memory model a replicated state machine keeps (for the controller: cluster metadata).
 * The Raft layer orders, persists and replicates commands; the model gives them meaning.
 *
 * <p>{@link #apply} and {@link #readSnapshot} run on jraft's state-machine thread, in log order,
 * on every replica; readers go through {@link ControllerStateMachine#read} which serialises them
 * against applies.
 *
 * @param <C> the command type
 * @param <R> what applying a command yields (returned to the proposer)
 */
public interface ReplicatedStateMachineModel<C, R> {

    /**
     * Applies one committed command. Must be deterministic: every replica applies the same
     * commands in the same order and must reach the same state. A rejection (e.g. "topic exists")
     * is a result, not an exception; an exception is reported to the proposer and logged, and
     * should leave the model unchanged.
     *
     * @param index the command's Raft index (increasing)
     */
    R apply(long index, C command);

    /** The record key a command is stored under (its type, for people reading the log). */
    String commandType(C command);

    /** The command's bytes (the record value). */
    byte[] encode(C command);

    /**
     * Rebuilds a command from what {@link #commandType} and {@link #encode} produced.
     *
     * @throws IOException when the bytes are not a command this model knows
     */
    C decode(String type, byte[] value) throws IOException;

    /** Writes the whole model (called on the state-machine thread: a consistent point). */
    void writeSnapshot(OutputStream out) throws IOException;

    /** Replaces the whole model with what {@link #writeSnapshot} wrote. */
    void readSnapshot(InputStream in) throws IOException;
}
