package io.ailurus.bench.storage;

/** Where an appender thread reports to: the case it runs in (latencies, failures) and whether to stop. */
interface AppendSink {
    boolean stopping();

    /** A batch became durable {@code nanos} after it was sent (closed loop) or meant to be sent (fixed rate). */
    void durable(long nanos);

    void fail(Throwable t);
}
