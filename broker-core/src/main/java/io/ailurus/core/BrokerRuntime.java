package io.ailurus.core;

/**
 * A running broker, as returned by {@link BrokerBootstrap#start}. The launcher waits on
 * {@link #awaitShutdown()} and calls {@link #close()} on SIGTERM or Ctrl-C.
 */
public interface BrokerRuntime extends AutoCloseable {

    /** Blocks until the broker has stopped (after {@link #close()} or a fatal error). */
    void awaitShutdown() throws InterruptedException;

    /** Stops the broker: stops accepting work, flushes, closes listeners and files. Idempotent. */
    @Override
    void close();
}
